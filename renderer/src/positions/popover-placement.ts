/** Where a row's popover sits: fixed to the window, so the table's scrolling box never clips it. */
export interface PopoverPlacement {
  top?: number;
  bottom?: number;
  right: number;
}

/**
 * Below the button that opens it, right-aligned with it; above the button instead when the space
 * below is shorter than the popover and the space above is larger.
 */
export function popoverPlacement(button: Pick<DOMRect, 'top' | 'bottom' | 'right'>, viewport: { width: number; height: number }, popoverHeight: number): PopoverPlacement {
  const right = Math.max(0, viewport.width - button.right);
  const below = viewport.height - button.bottom;
  if (below < popoverHeight && button.top > below) return { bottom: viewport.height - button.top + 2, right };
  return { top: button.bottom + 2, right };
}
