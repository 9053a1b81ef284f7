/**
 * The account's drawdown from its persisted equity peak, as the strategies see
 * it. The breaker manager, which keeps that peak per account, provides it once
 * it is built; until then a read fails loudly rather than report no drawdown.
 */
export class DrawdownReading {
  private source: (() => number) | null = null;

  /** Where the drawdown comes from: the breaker manager's `drawdownPct`. */
  provide(source: () => number): void {
    this.source = source;
  }

  /** Percent of equity below its peak (0 at the peak). */
  pct(): number {
    if (!this.source) throw new Error('The drawdown is not known yet: the breakers that keep the equity peak are not running');
    return this.source();
  }
}
