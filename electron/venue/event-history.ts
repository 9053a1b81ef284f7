import type { SimEvent, SimExchange, SimOrder } from '../engine/sim/types';

export interface FundingRecord {
  symbol: string;
  rate: number;
  /** Signed, as the account sees it: negative when it paid. */
  payment: number;
  time: number;
}

/**
 * What the venue remembers of the core's events, for the endpoints that list
 * history the core does not keep (allOrders, allAlgoOrders, income): the latest
 * state of every order, and every funding payment of the account.
 */
export class EventHistory {
  private readonly orders = new Map<number, SimOrder>();
  private readonly fundings: FundingRecord[] = [];
  private readonly unsubscribe: () => void;

  constructor(exchange: SimExchange) {
    this.unsubscribe = exchange.subscribe((event) => this.record(event));
  }

  allOrders(symbol: string, conditional: boolean): SimOrder[] {
    return [...this.orders.values()].filter((o) => o.symbol === symbol && o.conditional === conditional).sort((a, b) => a.orderId - b.orderId);
  }

  funding(symbol?: string): FundingRecord[] {
    return this.fundings.filter((f) => symbol === undefined || f.symbol === symbol);
  }

  close(): void {
    this.unsubscribe();
  }

  private record(event: SimEvent): void {
    if (event.type === 'order') this.orders.set(event.order.orderId, event.order);
    else if (event.type === 'liquidation') this.orders.set(event.order.orderId, event.order);
    else if (event.type === 'funding') this.fundings.push({ symbol: event.symbol, rate: event.rate, payment: event.payment, time: event.time });
  }
}
