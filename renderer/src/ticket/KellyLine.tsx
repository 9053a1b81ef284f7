import type { SizingSuggestion } from '../../../shared/domain';
import { formatMoney, formatPct } from '../format/numbers';

const pct = (fraction: number) => formatPct(fraction * 100);

/**
 * The Kelly sizing suggestion beside the ticket's risk line: full, ½ and ¼
 * Kelly as the engine computed them from the closed trades, each already
 * capped at the risk per trade, with what each would risk in money.
 */
export function KellyLine({ sizing, equity }: { sizing: SizingSuggestion | null; equity: number | null }) {
  if (!sizing) return null;
  const cap = `never above your risk per trade (${pct(sizing.riskCap)})`;
  if (!sizing.kelly) {
    return (
      <span className="muted kelly" data-testid="ticket-kelly" data-state="waiting" title={`Kelly needs ${sizing.minTrades} closed trades`}>
        Kelly: not enough trades yet ({sizing.trades} of {sizing.minTrades} closed)
      </span>
    );
  }
  const { winRate, full, half, quarter } = sizing.kelly;
  const record = `${sizing.trades} trades, ${pct(winRate)} won`;
  if (full === 0) {
    return (
      <span className="muted kelly" data-testid="ticket-kelly" data-state="no-edge" data-full={0} data-half={0} data-quarter={0}>
        Kelly: no edge in the last {record}: it suggests risking nothing
      </span>
    );
  }
  const money = (fraction: number) => (equity === null ? '' : ` (${formatMoney(equity * fraction)})`);
  return (
    <span className="muted kelly" data-testid="ticket-kelly" data-state="offered" data-full={full} data-half={half} data-quarter={quarter} title={`Kelly from the last ${record}; ${cap}`}>
      Kelly ({record}): full {pct(full)}
      {money(full)} · ½ {pct(half)}
      {money(half)} · ¼ {pct(quarter)}
      {money(quarter)}
    </span>
  );
}
