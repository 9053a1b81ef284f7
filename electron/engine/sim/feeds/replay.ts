import { readFileSync } from 'node:fs';
import type { Candle } from '../../../../shared/domain';
import { FUNDING_INTERVAL_MS } from '../mark-price';
import type { PriceFeed } from '../types';
import { errorMessage } from '../../../../shared/error-message';

const TIME_COLUMNS = ['time', 'timestamp', 'open_time', 'opentime', 'date', 'datetime'];
const VALUE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;
const FUNDING_COLUMNS = ['funding_rate', 'fundingrate'];

/** A funding rate a replay file carries on one of its bars: `time` is that bar's open time. */
export interface ReplayFundingRate {
  time: number;
  rate: number;
}

/** What a replay file holds: its bars, oldest first, and the funding rates some of them carry. */
export interface ReplayData {
  bars: Candle[];
  fundingRates: ReplayFundingRate[];
}

interface ReplayRow {
  bar: Candle;
  fundingRate: number | undefined;
}

function parseTime(raw: unknown, where: string): number {
  if (typeof raw === 'number' || (typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw.trim()))) {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${where}: time ${String(raw)} is not a valid timestamp`);
    return n < 1e11 ? n * 1000 : n;
  }
  if (typeof raw === 'string') {
    const parsed = Date.parse(raw.trim());
    if (Number.isFinite(parsed)) return parsed;
  }
  throw new Error(`${where}: time ${JSON.stringify(raw)} is neither epoch seconds, epoch milliseconds nor an ISO date`);
}

function parseNumber(raw: unknown, name: string, where: string): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : typeof raw === 'number' ? raw : NaN;
  if (!Number.isFinite(n)) throw new Error(`${where}: ${name} ${JSON.stringify(raw)} is not a number`);
  return n;
}

function checkBar(bar: Candle, where: string): Candle {
  if (bar.low <= 0) throw new Error(`${where}: low ${bar.low} must be above zero`);
  if (bar.high < Math.max(bar.open, bar.close, bar.low)) throw new Error(`${where}: high ${bar.high} is below the open, close or low`);
  if (bar.low > Math.min(bar.open, bar.close)) throw new Error(`${where}: low ${bar.low} is above the open or close`);
  if (bar.volume < 0) throw new Error(`${where}: volume ${bar.volume} is negative`);
  return bar;
}

/** A funding rate cell: empty (or absent) when the bar carries none. */
function parseFundingRate(raw: unknown, where: string): number | undefined {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  return parseNumber(raw, 'funding rate', where);
}

function barFromRow(row: unknown, where: string): ReplayRow {
  if (Array.isArray(row)) {
    if (row.length < 6) throw new Error(`${where}: expected [time, open, high, low, close, volume], got ${row.length} values`);
    const [time, open, high, low, close, volume] = row as unknown[];
    const bar = checkBar(
      {
        time: parseTime(time, where),
        open: parseNumber(open, 'open', where),
        high: parseNumber(high, 'high', where),
        low: parseNumber(low, 'low', where),
        close: parseNumber(close, 'close', where),
        volume: parseNumber(volume, 'volume', where),
      },
      where,
    );
    return { bar, fundingRate: undefined };
  }
  if (row && typeof row === 'object') {
    const fields = Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
    const timeKey = TIME_COLUMNS.find((k) => k in fields);
    if (!timeKey) throw new Error(`${where}: no time field (one of ${TIME_COLUMNS.join(', ')})`);
    const values = VALUE_COLUMNS.map((name) => {
      if (!(name in fields)) throw new Error(`${where}: no ${name} field`);
      return parseNumber(fields[name], name, where);
    });
    const [open, high, low, close, volume] = values as [number, number, number, number, number];
    const fundingKey = FUNDING_COLUMNS.find((k) => k in fields);
    return {
      bar: checkBar({ time: parseTime(fields[timeKey], where), open, high, low, close, volume }, where),
      fundingRate: fundingKey === undefined ? undefined : parseFundingRate(fields[fundingKey], where),
    };
  }
  throw new Error(`${where}: expected an array or an object, got ${JSON.stringify(row)}`);
}

function parseCsv(text: string, source: string): ReplayRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]?.split(',').map((h) => h.trim().toLowerCase());
  if (!header) throw new Error(`${source}: the file is empty`);
  const timeIndex = header.findIndex((h) => TIME_COLUMNS.includes(h));
  if (timeIndex === -1) throw new Error(`${source}: the CSV header needs a time column (one of ${TIME_COLUMNS.join(', ')}), got "${lines[0]}"`);
  const indexes = VALUE_COLUMNS.map((name) => {
    const index = header.indexOf(name);
    if (index === -1) throw new Error(`${source}: the CSV header has no "${name}" column`);
    return index;
  });
  const fundingIndex = header.findIndex((h) => FUNDING_COLUMNS.includes(h));
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const where = `${source}: line ${i + 2}`;
    if (cells.length !== header.length) throw new Error(`${where}: expected ${header.length} values, got ${cells.length}`);
    const { bar } = barFromRow([cells[timeIndex], ...indexes.map((index) => cells[index])], where);
    return { bar, fundingRate: fundingIndex === -1 ? undefined : parseFundingRate(cells[fundingIndex], where) };
  });
}

/**
 * Reads OHLCV bars: a JSON array of `[time, open, high, low, close, volume]` rows (Binance klines
 * and ccxt fetchOHLCV shapes) or of objects with those names, or CSV with a header row. Times may be
 * epoch milliseconds, epoch seconds or ISO dates. Objects and CSV may add a `funding_rate` (or
 * `fundingRate`) field, empty on the bars that carry none. Throws an error naming the row for anything malformed.
 */
export function parseReplayData(text: string, source = 'OHLCV data'): ReplayData {
  const trimmed = text.trim();
  let rows: ReplayRow[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`${source}: not valid JSON (${errorMessage(error)})`);
    }
    if (!Array.isArray(parsed)) throw new Error(`${source}: expected a JSON array of bars`);
    rows = parsed.map((row, i) => barFromRow(row, `${source}: bar ${i + 1}`));
  } else {
    rows = parseCsv(trimmed, source);
  }
  const bars = rows.map((row) => row.bar);
  if (bars.length < 2) throw new Error(`${source}: needs at least two bars, got ${bars.length}`);
  bars.forEach((bar, i) => {
    const previous = bars[i - 1];
    if (previous && bar.time <= previous.time) throw new Error(`${source}: bar ${i + 1} opens at ${bar.time}, not after the bar before it (${previous.time})`);
  });
  const fundingRates = rows.flatMap(({ bar, fundingRate }) => (fundingRate === undefined ? [] : [{ time: bar.time, rate: fundingRate }]));
  return { bars, fundingRates };
}

/** Reads and parses a replay file (JSON or CSV, see {@link parseReplayData}). */
export function loadReplayFile(path: string): ReplayData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read OHLCV file ${path}: ${errorMessage(error)}`);
  }
  return parseReplayData(text, path);
}

export interface ReplayFeedOptions {
  /** Bars per symbol, oldest first, as {@link parseReplayData} returns them. */
  series: Record<string, Candle[]>;
  /**
   * Funding rates per symbol, oldest first. A settlement takes the latest rate whose bar opened in the
   * funding interval before it, (settlement − 8 h, settlement], in replay time; with none, the core's own rate.
   */
  fundingRates?: Record<string, readonly ReplayFundingRate[]>;
  /**
   * Simulated time at which the earliest bar of all series opens. Default: the first time the feed
   * is asked for anything, so a replay starts wherever the simulator's clock (or its warm-up) starts.
   */
  startAt?: number;
}

interface Vertex {
  time: number;
  price: number;
  cumulativeVolume: number;
}

/**
 * The path a bar's price is assumed to take: open, then the extreme nearer in spirit to the bar's
 * direction first (a rising bar dips to its low, then reaches its high), then close.
 */
function pathOf(bars: Candle[]): Vertex[] {
  const vertices: Vertex[] = [];
  let volume = 0;
  bars.forEach((bar, i) => {
    const end = bars[i + 1]?.time ?? bar.time + (bar.time - bars[i - 1]!.time);
    const span = end - bar.time;
    const [first, second] = bar.close >= bar.open ? [bar.low, bar.high] : [bar.high, bar.low];
    const points = [bar.open, first, second];
    points.forEach((price, k) => vertices.push({ time: bar.time + (span * k) / 3, price, cumulativeVolume: volume + (bar.volume * k) / 3 }));
    volume += bar.volume;
    if (i === bars.length - 1) vertices.push({ time: end, price: bar.close, cumulativeVolume: volume });
  });
  return vertices;
}

function at(path: Vertex[], time: number): { price: number; cumulativeVolume: number } {
  if (time <= path[0]!.time) return { price: path[0]!.price, cumulativeVolume: 0 };
  const last = path[path.length - 1]!;
  if (time >= last.time) return { price: last.price, cumulativeVolume: last.cumulativeVolume };
  let lo = 0;
  let hi = path.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (path[mid]!.time <= time) lo = mid;
    else hi = mid;
  }
  const a = path[lo]!;
  const b = path[hi]!;
  const f = (time - a.time) / (b.time - a.time);
  return { price: a.price + (b.price - a.price) * f, cumulativeVolume: a.cumulativeVolume + (b.cumulativeVolume - a.cumulativeVolume) * f };
}

/**
 * Replays OHLCV bars as a price feed, moving through each bar open → low/high → high/low → close
 * in straight lines, with the bar's volume spread evenly over it. After the last bar the price holds
 * at the last close with no volume; `end` says when that is. Its `history` gives exact one-minute
 * candles of that same path, and `fundingRate` the file's funding rates, shifted like its prices.
 */
export function createReplayFeed(options: ReplayFeedOptions): PriceFeed {
  const paths = new Map<string, Vertex[]>();
  for (const [symbol, bars] of Object.entries(options.series)) {
    if (bars.length < 2) throw new Error(`Replay: ${symbol} needs at least two bars, got ${bars.length}`);
    paths.set(symbol, pathOf(bars));
  }
  if (paths.size === 0) throw new Error('Replay: no series given');
  const firstBar = Math.min(...[...paths.values()].map((p) => p[0]!.time));
  let offset = options.startAt === undefined ? null : options.startAt - firstBar;
  const lastVolume = new Map<string, number>();

  const pathFor = (symbol: string, time: number): Vertex[] => {
    const path = paths.get(symbol);
    if (!path) throw new Error(`Replay: no data for ${symbol}; the replay holds ${[...paths.keys()].join(', ')}`);
    if (offset === null) offset = time - firstBar;
    return path;
  };

  return {
    end: () => (offset === null ? undefined : Math.max(...[...paths.values()].map((p) => p[p.length - 1]!.time)) + offset),
    fundingRate(symbol, fundingTime) {
      const rates = options.fundingRates?.[symbol];
      if (!rates || offset === null) return undefined;
      const at = fundingTime - offset;
      const latest = rates.findLast((r) => r.time <= at);
      return latest && latest.time > at - FUNDING_INTERVAL_MS ? latest.rate : undefined;
    },
    next(symbol, time) {
      const path = pathFor(symbol, time);
      const point = at(path, time - offset!);
      const previous = lastVolume.get(symbol) ?? point.cumulativeVolume;
      lastVolume.set(symbol, point.cumulativeVolume);
      return { price: point.price, volume: Math.max(0, point.cumulativeVolume - previous) };
    },
    history(symbol, until, bars) {
      const start = Math.floor(until / 60_000) * 60_000 - bars * 60_000;
      const path = pathFor(symbol, start);
      const candles: Candle[] = [];
      for (let open = start; open < start + bars * 60_000; open += 60_000) {
        const from = open - offset!;
        const to = from + 60_000;
        const inside = path.filter((v) => v.time > from && v.time < to).map((v) => v.price);
        const first = at(path, from);
        const end = at(path, to);
        const prices = [first.price, end.price, ...inside];
        candles.push({ time: open, open: first.price, high: Math.max(...prices), low: Math.min(...prices), close: end.price, volume: end.cumulativeVolume - first.cumulativeVolume });
      }
      lastVolume.set(symbol, at(path, start + bars * 60_000 - offset!).cumulativeVolume);
      return candles;
    },
  };
}
