import { formatLeverage, formatMoney, formatPct } from '../format/numbers';
import type { TicketPreviewState } from './use-ticket-preview';

/**
 * The leverage the ticket will use, shown before Propose beside the risk line: the one typed, or, with the
 * field empty, the lowest that passes every check. When none passes it says which check stands in the way.
 */
export function LeverageLine({ state }: { state: TicketPreviewState }) {
  if (state.kind === 'incomplete') {
    return (
      <span className="muted" data-testid="ticket-leverage-plan" data-state="incomplete">
        Leverage: set the stop and take-profit to see it
      </span>
    );
  }
  if (state.kind === 'error') {
    return (
      <span className="muted" data-testid="ticket-leverage-plan" data-state="error">
        Leverage: {state.message}
      </span>
    );
  }
  const { preview } = state;
  const how = preview.leverageChosen ? 'the lowest that passes' : 'as typed';
  const figures = `margin ${formatMoney(preview.margin)}, liquidation ${formatPct(preview.distanceToLiquidationPct)} away`;
  if (preview.verdict.ok) {
    return (
      <span className="muted" data-testid="ticket-leverage-plan" data-state="ok" data-leverage={preview.leverage}>
        Leverage {formatLeverage(preview.leverage)} ({how}): {figures}
      </span>
    );
  }
  const [first] = preview.verdict.violations;
  return (
    <span className="form-message error" data-testid="ticket-leverage-plan" data-state="failing" data-leverage={preview.leverage}>
      Leverage {formatLeverage(preview.leverage)} ({how}) fails: {first?.message}
    </span>
  );
}
