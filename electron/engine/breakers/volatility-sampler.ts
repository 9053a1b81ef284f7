import { realisedVolatility } from '../strategy/realised-volatility';

export interface VolatilitySamplerOptions {
  /** Closed bars measured per symbol. */
  window?: number;
  /** Returns needed before a figure is given. */
  minReturns?: number;
}

const BAR_MS = 60_000;

/**
 * Buckets mark prices into one-minute bars per symbol (the last mark in a
 * minute is its close) and measures their annualised realised volatility.
 */
export class VolatilitySampler {
  private readonly window: number;
  private readonly minReturns: number;
  private readonly bars = new Map<string, Array<{ bucket: number; close: number }>>();
  private measured: Record<string, number> | null = null;
  private lastBucket = new Map<string, number>();

  constructor(options: VolatilitySamplerOptions = {}) {
    this.window = options.window ?? 60;
    this.minReturns = Math.max(2, options.minReturns ?? 20);
  }

  add(symbol: string, price: number, time: number): void {
    if (!Number.isFinite(price) || price <= 0) return;
    const bucket = Math.floor(time / BAR_MS);
    const bars = this.bars.get(symbol) ?? [];
    const last = bars.at(-1);
    if (last && last.bucket === bucket) last.close = price;
    else if (!last || bucket > last.bucket) bars.push({ bucket, close: price });
    if (bars.length > this.window + 2) bars.splice(0, bars.length - this.window - 2);
    this.bars.set(symbol, bars);
    if (this.lastBucket.get(symbol) !== bars.at(-1)!.bucket) {
      this.lastBucket.set(symbol, bars.at(-1)!.bucket);
      this.measured = null;
    }
  }

  /**
   * Annualised volatility per symbol, in percent, for symbols with enough bars.
   * Measured over closed bars only, so it changes when a new bar begins.
   */
  measurePct(): Record<string, number> {
    this.measured ??= this.measure();
    return { ...this.measured };
  }

  private measure(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [symbol, bars] of this.bars) {
      const closed = bars.slice(0, -1);
      if (closed.length - 1 < this.minReturns) continue;
      out[symbol] = realisedVolatility(closed.map((b) => b.close), '1m') * 100;
    }
    return out;
  }
}
