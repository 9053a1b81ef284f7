import { useSyncExternalStore } from 'react';
import type { Ticker } from '../../../shared/domain';

/**
 * Latest ticker per symbol, kept outside the main reducer: tickers arrive many
 * times a second, and only the views showing that symbol's mark should re-render.
 */
export class TickerStore {
  private readonly tickers = new Map<string, Ticker>();
  private readonly listeners = new Map<string, Set<() => void>>();

  set(ticker: Ticker): void {
    const previous = this.tickers.get(ticker.symbol);
    if (previous && previous.time > ticker.time) return;
    this.tickers.set(ticker.symbol, ticker);
    for (const listener of this.listeners.get(ticker.symbol) ?? []) listener();
  }

  get(symbol: string): Ticker | null {
    return this.tickers.get(symbol) ?? null;
  }

  subscribe(symbol: string, listener: () => void): () => void {
    let set = this.listeners.get(symbol);
    if (!set) this.listeners.set(symbol, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
}

/** The latest ticker of one symbol; re-renders only when that symbol's ticker changes. */
export function useTicker(store: TickerStore, symbol: string | null): Ticker | null {
  return useSyncExternalStore(
    (listener) => (symbol ? store.subscribe(symbol, listener) : () => undefined),
    () => (symbol ? store.get(symbol) : null),
  );
}
