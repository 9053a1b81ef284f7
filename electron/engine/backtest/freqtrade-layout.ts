import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Timeframe } from '../../../shared/domain';
import { loadCandles, loadFunding, loadMark } from './data-files';
import type { SymbolData } from './types';

/** The data formats freqtrade writes, in the order a folder is searched. */
export const FREQTRADE_FORMATS = ['feather', 'json', 'json.gz'] as const;
const FUNDING_TIMEFRAMES = ['8h', '4h', '1h'];
const MARK_TIMEFRAMES = ['1h', '8h'];

/** freqtrade's file stem of a pair: `XRP/USDT:USDT` → `XRP_USDT_USDT`. */
export const pairStem = (pair: string): string => pair.replace(/[/:]/g, '_');

function find(dir: string, stem: string): string | null {
  for (const format of FREQTRADE_FORMATS) {
    const file = path.join(dir, `${stem}.${format}`);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Where freqtrade keeps a futures pair's files under `datadir`: candles, and the funding-rate and mark candles when present. */
export function freqtradeFiles(datadir: string, pair: string, timeframe: Timeframe): { candles: string; funding: string | null; mark: string | null } {
  const dir = path.join(datadir, 'futures');
  const stem = pairStem(pair);
  const candles = find(dir, `${stem}-${timeframe}-futures`);
  if (!candles) {
    throw new Error(`No ${timeframe} candles for ${pair} in ${dir}: expected ${FREQTRADE_FORMATS.map((f) => `${stem}-${timeframe}-futures.${f}`).join(' or ')}`);
  }
  const first = (timeframes: string[], kind: string) => timeframes.map((tf) => find(dir, `${stem}-${tf}-${kind}`)).find((f) => f !== null) ?? null;
  return { candles, funding: first(FUNDING_TIMEFRAMES, 'funding_rate'), mark: first(MARK_TIMEFRAMES, 'mark') };
}

/** Loads a pair from a freqtrade data folder: its candles, and its funding and mark files when present. */
export function loadFreqtradePair(datadir: string, pair: string, timeframe: Timeframe): SymbolData {
  const files = freqtradeFiles(datadir, pair, timeframe);
  return {
    candles: loadCandles(files.candles, pair, timeframe),
    ...(files.funding ? { funding: loadFunding(files.funding) } : {}),
    ...(files.mark ? { mark: loadMark(files.mark) } : {}),
  };
}
