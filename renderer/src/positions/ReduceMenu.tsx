import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { Position } from '../../../shared/domain';
import { useRowPopover } from './use-row-popover';

const SHARES = [0.25, 0.5, 0.75] as const;

/** About how tall the popover is, to choose whether it opens below or above its button. */
const POPOVER_HEIGHT = 40;

/** Cuts a position by 25, 50 or 75%: one click opens the menu, one more sends the reduce-only cut. */
export function ReduceMenu({ api, position }: { api: CockpitApi; position: Position }) {
  const { open, close, style, button, popover, toggle } = useRowPopover<HTMLSpanElement>(POPOVER_HEIGHT);
  const [status, setStatus] = useState<string | null>(null);
  const reduce = async (fraction: (typeof SHARES)[number]) => {
    close();
    setStatus('reducing…');
    const result = await api.invoke('position.reduce', { symbol: position.symbol, fraction });
    setStatus(result.ok ? null : result.error.message);
  };
  return (
    <span className="row-menu" onClick={(e) => e.stopPropagation()}>
      <button type="button" data-testid="position-reduce" className="btn-small" aria-expanded={open} disabled={status === 'reducing…'} ref={button} onClick={toggle}>
        Reduce ▾
      </button>
      {open && (
        <span ref={popover} className="row-popover" style={style} role="menu" data-testid="position-reduce-menu">
          {SHARES.map((share) => (
            <button key={share} type="button" role="menuitem" className="btn-small" data-testid={`position-reduce-${share * 100}`} onClick={() => void reduce(share)}>
              −{share * 100}%
            </button>
          ))}
        </span>
      )}
      {status && status !== 'reducing…' && (
        <span className="row-error" role="alert">
          {status}
        </span>
      )}
    </span>
  );
}
