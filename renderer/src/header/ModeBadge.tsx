import type { Mode } from '../../../shared/domain';

/** PAPER, or LIVE plus the exchange: impossible to miss. */
export function ModeBadge({ mode, exchange }: { mode: Mode | null; exchange: string | null }) {
  const text = mode === null ? '…' : mode === 'paper' ? 'PAPER' : `LIVE ${exchange ?? ''}`.trim();
  return (
    <span data-testid="mode-badge" className={`mode-badge mode-${mode ?? 'unknown'}`} title={mode === 'live' ? 'Real money' : 'Simulated'}>
      {text}
    </span>
  );
}
