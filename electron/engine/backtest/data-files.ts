import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC, type Table } from 'apache-arrow';
import type { Timeframe } from '../../../shared/domain';
import { errorMessage } from '../../../shared/error-message';
import { parseReplayData } from '../sim/feeds/replay';
import { allocateSeries, BadDataError, validateSeries } from './candle-series';
import { registerFeatherCodecs } from './feather-codecs';
import type { CandleSeries, FundingSeries, MarkSeries } from './types';

/** Rows of a data file in columns: open times (epoch ms) and the five OHLCV columns, plus a funding-rate column when the file has one. */
interface Columns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`Cannot read data file ${file}: ${errorMessage(error)}`);
  }
}

function fromRows(text: string, file: string): Columns {
  let bars;
  try {
    ({ bars } = parseReplayData(text, file));
  } catch (error) {
    throw new BadDataError(file, null, errorMessage(error).replace(`${file}: `, ''));
  }
  const n = bars.length;
  const columns = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  bars.forEach((b, i) => {
    columns.time[i] = b.time;
    columns.open[i] = b.open;
    columns.high[i] = b.high;
    columns.low[i] = b.low;
    columns.close[i] = b.close;
    columns.volume[i] = b.volume;
  });
  return columns;
}

function featherTable(bytes: Uint8Array, file: string): Table {
  registerFeatherCodecs();
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    throw new BadDataError(file, null, `not a readable feather (Arrow IPC) file: ${errorMessage(error)}`);
  }
}

function featherColumn(table: Table, name: string, file: string): Float64Array {
  const child = table.getChild(name);
  if (!child) throw new BadDataError(file, null, `no "${name}" column (columns: ${table.schema.fields.map((f) => f.name).join(', ')})`);
  const out = new Float64Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const value: unknown = child.get(i);
    out[i] = typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.getTime() : Number(value);
  }
  return out;
}

function fromFeather(bytes: Uint8Array, file: string): Columns {
  const table = featherTable(bytes, file);
  const column = (name: string) => featherColumn(table, name, file);
  return { time: column('date'), open: column('open'), high: column('high'), low: column('low'), close: column('close'), volume: column('volume') };
}

function decompressed(bytes: Buffer, file: string): string {
  if (!file.endsWith('.gz')) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw new BadDataError(file, null, `not a readable gzip file: ${errorMessage(error)}`);
  }
}

const RATE_COLUMNS = ['funding_rate', 'fundingrate', 'open'];

/** Time and rate per row of a funding-rate file: the rate may be zero or negative, so these rows are not candles. */
function readRates(file: string): { time: Float64Array; rate: Float64Array } {
  const bytes = readBytes(file);
  if (file.endsWith('.feather')) {
    const table = featherTable(bytes, file);
    return { time: featherColumn(table, 'date', file), rate: featherColumn(table, 'open', file) };
  }
  const text = decompressed(bytes, file).trim();
  let rows: [unknown, unknown][];
  if (file.endsWith('.csv')) {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
    const timeAt = header.findIndex((h) => ['time', 'timestamp', 'date', 'open_time'].includes(h));
    const rateAt = header.findIndex((h) => RATE_COLUMNS.includes(h));
    if (timeAt === -1 || rateAt === -1) throw new BadDataError(file, null, `the CSV header needs a time column and a funding_rate (or open) column, got "${lines[0] ?? ''}"`);
    rows = lines.slice(1).map((line) => {
      const cells = line.split(',');
      return [cells[timeAt], cells[rateAt]];
    });
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new BadDataError(file, null, `not valid JSON (${errorMessage(error)})`);
    }
    if (!Array.isArray(parsed)) throw new BadDataError(file, null, 'expected a JSON array of rows');
    rows = parsed.map((row: unknown) => {
      if (Array.isArray(row)) return [row[0], row[1]];
      const fields = Object.fromEntries(Object.entries((row ?? {}) as object).map(([k, v]) => [k.toLowerCase(), v]));
      return [fields.time ?? fields.timestamp ?? fields.date, RATE_COLUMNS.map((c) => fields[c]).find((v) => v !== undefined)];
    });
  }
  const time = new Float64Array(rows.length);
  const rate = new Float64Array(rows.length);
  rows.forEach(([t, r], i) => {
    time[i] = typeof t === 'string' && !/^\d+$/.test(t.trim()) ? Date.parse(t) : Number(t);
    rate[i] = Number(r);
    if (!Number.isFinite(time[i]!)) throw new BadDataError(file, i + 1, `time ${JSON.stringify(t)} is not a timestamp`);
    if (typeof r === 'string' ? r.trim() === '' : typeof r !== 'number') throw new BadDataError(file, i + 1, `funding rate ${JSON.stringify(r)} is not a number`);
    if (!Number.isFinite(rate[i]!)) throw new BadDataError(file, i + 1, `funding rate ${JSON.stringify(r)} is not a number`);
  });
  return { time, rate };
}

/**
 * Reads OHLCV rows from `file`: `.csv` (as --replay reads it), `.json` rows
 * `[ms, open, high, low, close, volume]` (or objects), `.json.gz`, or freqtrade's
 * `.feather` (columns date, open, high, low, close, volume).
 */
export function readColumns(file: string): Columns {
  const bytes = readBytes(file);
  if (file.endsWith('.feather')) return fromFeather(bytes, file);
  if (file.endsWith('.json') || file.endsWith('.json.gz') || file.endsWith('.csv')) return fromRows(decompressed(bytes, file), file);
  throw new BadDataError(file, null, 'unknown data format: use .csv, .json, .json.gz or .feather');
}

/** A symbol's candles from a data file, checked bar by bar (gaps, order, prices) with errors naming the file and row. */
export function loadCandles(file: string, symbol: string, timeframe: Timeframe): CandleSeries {
  const columns = readColumns(file);
  const series = allocateSeries(symbol, timeframe, file, columns.time.length);
  series.time.set(columns.time);
  series.open.set(columns.open);
  series.high.set(columns.high);
  series.low.set(columns.low);
  series.close.set(columns.close);
  series.volume.set(columns.volume);
  return validateSeries(series);
}

/** Funding rates from freqtrade's funding-rate candles (the rate in the open column), sorted, one row per settlement. */
export function loadFunding(file: string): FundingSeries {
  const { time, rate } = readRates(file);
  for (let i = 1; i < time.length; i++) {
    if (time[i]! <= time[i - 1]!) throw new BadDataError(file, i + 1, `settlement at ${new Date(time[i]!).toISOString()} is not after the row before it: rows must be sorted, without repeats`);
  }
  return { source: file, time, rate };
}

/** Mark-price candles (freqtrade's `-mark` files): their interval is the spacing of their rows. */
export function loadMark(file: string): MarkSeries {
  const { time, open, close } = readColumns(file);
  if (time.length < 2) throw new BadDataError(file, null, 'needs at least two mark candles');
  const intervalMs = time[1]! - time[0]!;
  for (let i = 1; i < time.length; i++) {
    if (time[i]! <= time[i - 1]!) throw new BadDataError(file, i + 1, `mark candle at ${new Date(time[i]!).toISOString()} is not after the row before it: rows must be sorted`);
    if (!(open[i]! > 0 && close[i]! > 0)) throw new BadDataError(file, i + 1, 'mark price is not above zero');
  }
  return { source: file, intervalMs, time, open, close };
}
