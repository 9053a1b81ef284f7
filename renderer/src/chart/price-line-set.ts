import { LineStyle, type IPriceLine, type ISeriesApi, type SeriesType, type UTCTimestamp } from 'lightweight-charts';
import { palette } from '../theme/palette';
import type { TradeLine, TradeLineKind } from './trade-lines';

const COLORS: Record<TradeLineKind, string> = {
  entry: palette.entry,
  stop: palette.stop,
  'take-profit': palette.takeProfit,
  liquidation: palette.liquidation,
};

/**
 * Keeps the series' price lines equal to a list of {@link TradeLine}s, keyed so
 * a line that moves is moved, not removed and redrawn.
 */
export class PriceLineSet {
  private readonly drawn = new Map<string, { line: IPriceLine; price: number }>();

  constructor(private readonly series: ISeriesApi<SeriesType, UTCTimestamp>) {}

  sync(lines: readonly TradeLine[]): void {
    const wanted = new Set(lines.map((l) => l.key));
    for (const [key, { line }] of this.drawn) {
      if (!wanted.has(key)) {
        this.series.removePriceLine(line);
        this.drawn.delete(key);
      }
    }
    for (const line of lines) {
      const options = {
        price: line.price,
        title: line.title,
        color: line.preview ? palette.proposal : COLORS[line.kind],
        lineStyle: line.preview ? LineStyle.Dashed : line.kind === 'liquidation' ? LineStyle.Dotted : LineStyle.Solid,
        lineWidth: (line.kind === 'liquidation' ? 2 : 1) as 1 | 2,
        axisLabelVisible: true,
      };
      const existing = this.drawn.get(line.key);
      if (existing) {
        existing.line.applyOptions(options);
        existing.price = line.price;
      } else {
        this.drawn.set(line.key, { line: this.series.createPriceLine(options), price: line.price });
      }
    }
  }

  /** Moves one line while it is dragged, without touching the others. */
  move(key: string, price: number): void {
    const drawn = this.drawn.get(key);
    if (!drawn) return;
    drawn.line.applyOptions({ price });
    drawn.price = price;
  }

  clear(): void {
    this.sync([]);
  }
}
