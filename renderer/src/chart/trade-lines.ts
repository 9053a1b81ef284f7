import type { Order, Position, Proposal, Side } from '../../../shared/domain';

export type TradeLineKind = 'entry' | 'stop' | 'take-profit' | 'liquidation';

/** What dragging a line moves. */
export type LineDrag =
  | { type: 'order'; purpose: 'stop' | 'take-profit'; symbol: string }
  | { type: 'proposal-stop'; proposalId: string };

/** One horizontal line on the chart and one item in the legend beside it. */
export interface TradeLine {
  /** Stable across updates, so the chart moves a line instead of recreating it. */
  key: string;
  kind: TradeLineKind;
  /** True for a selected proposal's preview lines (drawn dashed). */
  preview: boolean;
  /** The legend item's `data-testid`. */
  testId: string;
  /** The chart title and legend label, e.g. `SL`. */
  title: string;
  price: number;
  /** Size and side the money distance applies to. */
  quantity: number;
  side: Side;
  drag: LineDrag | null;
}

const LIVE_STATUSES: ReadonlySet<Order['status']> = new Set(['open', 'partially_filled']);

const TITLES: Record<TradeLineKind, string> = { entry: 'ENTRY', stop: 'SL', 'take-profit': 'TP', liquidation: 'LIQ' };

/** The protective purpose of an order, whether the engine tagged it or it was found on the exchange. */
function protectivePurpose(order: Order): 'stop' | 'take-profit' | null {
  if (order.purpose === 'stop' || order.purpose === 'take-profit') return order.purpose;
  if (order.purpose !== 'other' || !(order.reduceOnly || order.closePosition)) return null;
  if (order.type === 'stop_market') return 'stop';
  if (order.type === 'take_profit_market') return 'take-profit';
  return null;
}

/** The open stop and take-profit orders protecting one symbol, each with the price it fires at. */
export function protectiveOrders(orders: readonly Order[], symbol: string): { order: Order; purpose: 'stop' | 'take-profit'; price: number }[] {
  const found: { order: Order; purpose: 'stop' | 'take-profit'; price: number }[] = [];
  for (const order of orders) {
    if (order.symbol !== symbol || !LIVE_STATUSES.has(order.status)) continue;
    const purpose = protectivePurpose(order);
    const price = order.triggerPrice ?? order.price;
    if (purpose && price !== null) found.push({ order, purpose, price });
  }
  return found;
}

function positionLines(position: Position, orders: readonly Order[]): TradeLine[] {
  const base = { preview: false, quantity: position.contracts, side: position.side } as const;
  const lines: TradeLine[] = [
    { ...base, key: 'entry', kind: 'entry', testId: 'line-entry', title: TITLES.entry, price: position.entryPrice, drag: null },
  ];
  for (const { order, purpose, price } of protectiveOrders(orders, position.symbol)) {
    lines.push({
      ...base,
      key: `${purpose}:${order.id}`,
      kind: purpose,
      testId: purpose === 'stop' ? 'line-stop' : 'line-take-profit',
      title: TITLES[purpose],
      price,
      drag: { type: 'order', purpose, symbol: position.symbol },
    });
  }
  if (position.liquidationPrice !== null) {
    lines.push({ ...base, key: 'liquidation', kind: 'liquidation', testId: 'line-liquidation', title: TITLES.liquidation, price: position.liquidationPrice, drag: null });
  }
  return lines;
}

/** A proposal's preview, with `override` standing in for what the engine computed while its stop is dragged. */
export interface ProposalPreview {
  proposal: Proposal;
  override?: { stop: number; quantity: number; liquidationPrice: number | null } | null;
}

function proposalLines({ proposal, override }: ProposalPreview): TradeLine[] {
  const quantity = override?.quantity ?? proposal.quantity;
  const liquidation = override ? override.liquidationPrice : proposal.liquidationPrice;
  const base = { preview: true, quantity, side: proposal.side, drag: null } as const;
  const line = (kind: TradeLineKind, price: number): TradeLine => ({
    ...base,
    key: `proposal-${kind}`,
    kind,
    testId: `line-proposal-${kind}`,
    title: `P·${TITLES[kind]}`,
    price,
  });
  const lines = [
    line('entry', proposal.entry),
    { ...line('stop', override?.stop ?? proposal.stop), drag: { type: 'proposal-stop', proposalId: proposal.id } as const },
    line('take-profit', proposal.takeProfit),
  ];
  if (liquidation !== null) lines.push(line('liquidation', liquidation));
  return lines;
}

/**
 * Every line the chart draws for one symbol: the open position's entry, stops,
 * take-profits and liquidation, then the selected proposal's preview.
 */
export function buildTradeLines(input: {
  symbol: string;
  positions: readonly Position[];
  orders: readonly Order[];
  preview: ProposalPreview | null;
}): TradeLine[] {
  const lines: TradeLine[] = [];
  for (const position of input.positions) {
    if (position.symbol === input.symbol && position.contracts > 0) lines.push(...positionLines(position, input.orders));
  }
  if (input.preview && input.preview.proposal.symbol === input.symbol && input.preview.proposal.kind !== 'close') lines.push(...proposalLines(input.preview));
  return lines;
}
