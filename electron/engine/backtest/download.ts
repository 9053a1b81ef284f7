import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TIMEFRAME_MS, type Timeframe } from '../../../shared/domain';
import { createCcxtExchange } from '../exchange/ccxt-adapter';
import { readColumns } from './data-files';
import { pairStem } from './freqtrade-layout';

/** The part of a ccxt exchange a download uses. */
export interface HistorySource {
  loadMarkets(): Promise<unknown>;
  fetchOHLCV(symbol: string, timeframe: string, since: number, limit: number): Promise<number[][]>;
  fetchFundingRateHistory(symbol: string, since: number, limit: number): Promise<{ timestamp?: number | undefined; fundingRate: number }[]>;
  close?(): Promise<unknown>;
}

export interface DownloadOptions {
  exchange: string;
  /** Point every request at this origin (e.g. `npm run venue`'s). */
  url: string | null;
  /** The data folder: files land in its `futures/` in freqtrade's layout and are reused from there. */
  datadir: string;
  pairs: string[];
  timeframe: Timeframe;
  from: number;
  to: number;
  /** Where the progress bar goes (stderr). */
  progress: { write(text: string): unknown };
  /** Candles per request. Default 1 000. */
  pageLimit?: number;
  /** The exchange to read from; by default a ccxt client for `exchange` (at `url` when given). */
  source?: HistorySource;
}

/** What a download did per pair. */
export interface DownloadReport {
  pair: string;
  candles: number;
  fundingRates: number;
  requests: number;
  cached: boolean;
}

const BAR_WIDTH = 30;

function bar(out: DownloadOptions['progress'], label: string, done: number, total: number): void {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * BAR_WIDTH);
  out.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${Math.round(share * 100)}%`);
}

/** True when a cached candle file already covers [from, to). */
function covers(file: string, from: number, to: number, tf: number): boolean {
  if (!existsSync(file)) return false;
  const { time } = readColumns(file);
  return time.length > 0 && time[0]! <= from && time[time.length - 1]! >= to - tf;
}

async function pageCandles(source: HistorySource, options: DownloadOptions, pair: string, report: DownloadReport): Promise<number[][]> {
  const tf = TIMEFRAME_MS[options.timeframe];
  const limit = options.pageLimit ?? 1_000;
  const rows: number[][] = [];
  const total = Math.ceil((options.to - options.from) / tf);
  let since = options.from;
  while (since < options.to) {
    const page = await source.fetchOHLCV(pair, options.timeframe, since, limit);
    report.requests++;
    const fresh = page.filter((r) => r[0]! >= since && r[0]! < options.to);
    rows.push(...fresh);
    bar(options.progress, `${pair} ${options.timeframe}`, rows.length, total);
    if (fresh.length === 0) break;
    since = fresh[fresh.length - 1]![0]! + tf;
  }
  options.progress.write('\n');
  return rows;
}

async function pageFunding(source: HistorySource, options: DownloadOptions, pair: string, report: DownloadReport): Promise<number[][]> {
  const rows: number[][] = [];
  let since = options.from;
  while (since < options.to) {
    const page = await source.fetchFundingRateHistory(pair, since, 1_000);
    report.requests++;
    const fresh = page.filter((f) => f.timestamp !== undefined && f.timestamp >= since && f.timestamp < options.to);
    for (const f of fresh) rows.push([f.timestamp!, f.fundingRate, f.fundingRate, f.fundingRate, f.fundingRate, 0]);
    if (fresh.length === 0) break;
    since = fresh[fresh.length - 1]!.timestamp! + 1;
  }
  return rows;
}

/**
 * Fetches each pair's candles (`fetchOHLCV`, page by page) and funding rates
 * (`fetchFundingRateHistory`) for [from, to) through ccxt, with a progress bar,
 * and writes them into the data folder in freqtrade's layout (JSON rows), where
 * later runs find them: a pair whose candles are already there is not fetched again.
 */
export async function downloadHistory(options: DownloadOptions): Promise<DownloadReport[]> {
  const tf = TIMEFRAME_MS[options.timeframe];
  const dir = path.join(options.datadir, 'futures');
  mkdirSync(dir, { recursive: true });
  const source = options.source ?? (createCcxtExchange({ exchange: options.exchange as Parameters<typeof createCcxtExchange>[0]['exchange'], credentials: null, exchangeUrl: options.url ?? undefined }) as unknown as HistorySource);
  const reports: DownloadReport[] = [];
  try {
    await source.loadMarkets();
    for (const pair of options.pairs) {
      const stem = pairStem(pair);
      const candleFile = path.join(dir, `${stem}-${options.timeframe}-futures.json`);
      const report: DownloadReport = { pair, candles: 0, fundingRates: 0, requests: 0, cached: false };
      reports.push(report);
      if (covers(candleFile, options.from, options.to, tf)) {
        report.cached = true;
        options.progress.write(`${pair} ${options.timeframe}: cached in ${candleFile}\n`);
        continue;
      }
      const candles = await pageCandles(source, options, pair, report);
      if (candles.length === 0) throw new Error(`${options.exchange} has no ${options.timeframe} candles for ${pair} between ${new Date(options.from).toISOString()} and ${new Date(options.to).toISOString()}`);
      const funding = await pageFunding(source, options, pair, report);
      report.candles = candles.length;
      report.fundingRates = funding.length;
      writeFileSync(candleFile, JSON.stringify(candles.map((r) => r.slice(0, 6))));
      if (funding.length) writeFileSync(path.join(dir, `${stem}-8h-funding_rate.json`), JSON.stringify(funding));
      options.progress.write(`${pair}: ${candles.length} candles and ${funding.length} funding rates in ${report.requests} requests, saved in ${dir}\n`);
    }
  } finally {
    await source.close?.();
  }
  return reports;
}
