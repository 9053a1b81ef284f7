/**
 * Writes one symbol's candles from paper mode's seeded synthetic feed (sampled every second), as CSV
 * (`time,open,high,low,close,volume`): fixture data for backtests that anyone can make again
 * byte for byte.
 *
 *   npx tsx scripts/paper-feed-candles.ts --seed 7 --days 14 --timeframe 1m --out out/fixtures/btc-1m.csv [--symbol BTC/USDT:USDT]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TIMEFRAME_MS, TIMEFRAMES, type Candle, type Timeframe } from '../shared/domain';
import { createSyntheticFeed } from '../electron/engine/sim/feeds/synthetic';

/** 2024-01-01T00:00:00Z: where the fixture's first bar opens. */
export const FIXTURE_START = Date.UTC(2024, 0, 1);

/** `days` of `timeframe` candles (1m unless named) of `symbol` from the synthetic feed seeded `seed`, sampled every second. */
export function paperFeedCandles(options: { seed: number; days: number; symbol: string; timeframe?: Timeframe; start?: number }): Candle[] {
  if (!(Number.isInteger(options.days) && options.days > 0)) throw new Error(`--days must be a whole number above zero, got ${options.days}`);
  const timeframe = options.timeframe ?? '1m';
  if (!TIMEFRAMES.includes(timeframe)) throw new Error(`--timeframe must be one of ${TIMEFRAMES.join(', ')}, got "${timeframe}"`);
  const barMs = TIMEFRAME_MS[timeframe];
  const seconds = barMs / 1_000;
  const feed = createSyntheticFeed({ seed: options.seed });
  const start = options.start ?? FIXTURE_START;
  const candles: Candle[] = [];
  for (let bar = 0; bar < (options.days * 86_400_000) / barMs; bar++) {
    const time = start + bar * barMs;
    const first = feed.next(options.symbol, time);
    const candle: Candle = { time, open: first.price, high: first.price, low: first.price, close: first.price, volume: first.volume };
    for (let second = 1; second < seconds; second++) {
      const { price, volume } = feed.next(options.symbol, time + second * 1_000);
      candle.high = Math.max(candle.high, price);
      candle.low = Math.min(candle.low, price);
      candle.close = price;
      candle.volume += volume;
    }
    candles.push(candle);
  }
  return candles;
}

export function toCsv(candles: readonly Candle[]): string {
  return ['time,open,high,low,close,volume', ...candles.map((c) => `${c.time},${c.open},${c.high},${c.low},${c.close},${c.volume}`)].join('\n') + '\n';
}

function main(argv: readonly string[]): void {
  const flag = (name: string, fallback?: string): string => {
    const at = argv.indexOf(name);
    const value = at >= 0 ? argv[at + 1] : fallback;
    if (value === undefined) throw new Error(`${name} is needed`);
    return value;
  };
  const out = flag('--out');
  const candles = paperFeedCandles({
    seed: Number(flag('--seed', '7')),
    days: Number(flag('--days', '14')),
    symbol: flag('--symbol', 'BTC/USDT:USDT'),
    timeframe: flag('--timeframe', '1m') as Timeframe,
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, toCsv(candles));
  process.stdout.write(`${out}: ${candles.length} candles\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`paper-feed-candles: ${(error as Error).message}\n`);
    process.exit(2);
  }
}
