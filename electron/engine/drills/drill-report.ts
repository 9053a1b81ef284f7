import type { JournalEntry, Side } from '../../../shared/domain';
import type { DrillReport, DrillReportEvent } from '../../../shared/drills';

/** A journal entry written during the drill; breaker entries carry their delay from the triggering mark. */
export interface DrillJournalEntry {
  entry: JournalEntry;
  delayMs: number | null;
}

export interface DrillReportInput {
  scenario: string;
  outcome: DrillReport['outcome'];
  startedAt: number;
  endedAt: number;
  equityBefore: number | null;
  equityAfter: number | null;
  entries: readonly DrillJournalEntry[];
  /** The lowest and highest mark price each symbol reached during the drill. */
  markRange: Readonly<Record<string, { low: number; high: number }>>;
  /** The positions open when the drill started. */
  openAtStart: readonly { symbol: string; side: Side; liquidationPrice: number | null }[];
}

type Data = Record<string, unknown>;
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function describe({ entry, delayMs }: DrillJournalEntry): DrillReportEvent | null {
  const data = (entry.data ?? {}) as Data;
  const at = (kind: DrillReportEvent['kind'], symbol: string | null, text: string, delay: number | null = null): DrillReportEvent => ({
    time: entry.time,
    kind,
    symbol,
    text,
    delayMs: delay,
  });
  switch (entry.type) {
    case 'breaker.trip':
      return at('breaker-trip', null, `${str(data.id) ?? 'breaker'} tripped (${str(data.action) ?? 'act'}): ${str(data.reason) ?? ''}`.trim(), delayMs);
    case 'breaker.action': {
      const fraction = num(data.fraction);
      const share = str(data.action) === 'reduce' && fraction !== null ? ` ${Math.round(fraction * 100)}%` : '';
      return at('breaker-action', str(data.symbol), `${str(data.id) ?? 'breaker'}: ${str(data.action) ?? 'act'}${share} ${str(data.symbol) ?? ''}`.trim(), delayMs);
    }
    case 'order.request': {
      const request = (data.request ?? {}) as Data;
      const reduce = request.reduceOnly === true ? ' reduce-only' : '';
      return at('order-sent', str(request.symbol), `${str(request.type) ?? 'order'} ${str(request.side) ?? ''} ${num(request.amount) ?? ''}${reduce} ${str(request.symbol) ?? ''}`.replace(/\s+/g, ' ').trim());
    }
    case 'fill':
      return at('order-filled', str(data.symbol), `filled ${str(data.side) ?? ''} ${num(data.amount) ?? ''} ${str(data.symbol) ?? ''} at ${num(data.price) ?? ''}`.replace(/\s+/g, ' ').trim());
    case 'liquidation':
      return at('liquidation', str(data.symbol), `LIQUIDATED ${str(data.side) ?? ''} ${num(data.contracts) ?? ''} ${str(data.symbol) ?? ''} at ${num(data.price) ?? ''}`.replace(/\s+/g, ' ').trim());
    case 'flatten.start':
      return at('flatten', null, `flatten started: ${str(data.reason) ?? ''}`.trim());
    case 'flatten.end':
      return at('flatten', null, data.flat === true ? 'flatten done: the exchange reports flat' : 'flatten ended NOT flat');
    default:
      return null;
  }
}

/** Whether the mark range reached a position's liquidation price (a long's from above, a short's from below). */
function crossed(position: DrillReportInput['openAtStart'][number], range: { low: number; high: number } | undefined): boolean {
  if (!range || position.liquidationPrice === null) return false;
  return position.side === 'long' ? range.low <= position.liquidationPrice : range.high >= position.liquidationPrice;
}

/** What a drill did, in order, from the journal entries written while it ran. */
export function buildDrillReport(input: DrillReportInput): DrillReport {
  const events = input.entries.map(describe).filter((event): event is DrillReportEvent => event !== null);
  const liquidated = new Set(events.filter((e) => e.kind === 'liquidation').map((e) => e.symbol));
  return {
    scenario: input.scenario,
    outcome: input.outcome,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    equityBefore: input.equityBefore,
    equityAfter: input.equityAfter,
    events,
    liquidationsSuffered: events.filter((e) => e.kind === 'liquidation').length,
    liquidationsAvoided: input.openAtStart.filter((p) => crossed(p, input.markRange[p.symbol]) && !liquidated.has(p.symbol)).length,
  };
}
