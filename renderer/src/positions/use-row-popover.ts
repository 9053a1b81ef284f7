import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { popoverPlacement } from './popover-placement';

/**
 * A position row's popover: open or not, the button that toggles it, and where it sits (fixed to
 * the window). A click outside it and its button, or Escape, closes it.
 */
export function useRowPopover<T extends HTMLElement>(height: number) {
  const [open, setOpen] = useState(false);
  const [style, setStyle] = useState<CSSProperties>({});
  const button = useRef<HTMLButtonElement>(null);
  const popover = useRef<T>(null);
  const toggle = () => {
    if (!open && button.current) setStyle(popoverPlacement(button.current.getBoundingClientRect(), { width: window.innerWidth, height: window.innerHeight }, height));
    setOpen((o) => !o);
  };

  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && (button.current?.contains(target) || popover.current?.contains(target))) return;
      setOpen(false);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  return { open, close: () => setOpen(false), style, button, popover, toggle };
}
