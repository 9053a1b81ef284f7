import { TIMEFRAME_MS } from '../../../shared/domain';
import { FUNDING_INTERVAL_MS, MarkPriceModel, nextFundingTime } from '../sim/mark-price';
import { createRng } from '../sim/random';
import { seedFor } from '../sim/seed';
import { BadDataError } from './candle-series';
import type { SymbolData } from './types';

/**
 * The mark price and the funding of one symbol over its bars, worked out once
 * before the run: per bar the premium factor (mark ÷ last, applied to the bar's
 * open, high, low and close), and each funding settlement with its rate and mark.
 */
export interface MarkPath {
  factor: Float64Array;
  /** Settlement times, ascending. A settlement at T is charged at the first bar opening at or after T. */
  settlementTime: Float64Array;
  settlementRate: Float64Array;
  settlementMark: Float64Array;
}

function indexAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Works out the mark path. With a mark file, the premium is the mark candle's
 * open over the bar's open at each mark candle, held until the next one; else
 * the simulator's premium model, seeded per symbol as paper mode seeds it.
 * With a funding file, its rows are the settlements; else every 8 h, at the rate
 * the simulated premium gives, as in paper mode.
 */
export function markPath(data: SymbolData, seed: number): MarkPath {
  const { candles, funding, mark } = data;
  const n = candles.time.length;
  const tf = TIMEFRAME_MS[candles.timeframe];
  const factor = new Float64Array(n);
  const first = candles.time[0]!;
  const last = candles.time[n - 1]!;
  const model = mark ? null : new MarkPriceModel(createRng(seedFor(seed, `premium:${candles.symbol}`)));
  const simulatedRates: number[] = [];
  let nextSettlement = nextFundingTime(first);
  let m = 0;
  let current = 1;
  for (let i = 0; i < n; i++) {
    const t = candles.time[i]!;
    if (model) {
      while (!funding && nextSettlement <= t) {
        simulatedRates.push(model.predictedFundingRate());
        model.resetFundingAverage();
        nextSettlement += FUNDING_INTERVAL_MS;
      }
      factor[i] = model.step(candles.close[i]!, t + tf) / candles.close[i]!;
    } else {
      while (m < mark!.time.length && mark!.time[m]! <= t) {
        if (mark!.time[m] === t) current = mark!.open[m]! / candles.open[i]!;
        m++;
      }
      factor[i] = current;
    }
  }
  if (funding) return { factor, ...fileSettlements(data, factor, first, last) };
  const count = simulatedRates.length;
  const settlementTime = new Float64Array(count);
  const settlementMark = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const time = nextFundingTime(first) + k * FUNDING_INTERVAL_MS;
    settlementTime[k] = time;
    settlementMark[k] = markAt(data, factor, time);
  }
  return { factor, settlementTime, settlementRate: Float64Array.from(simulatedRates), settlementMark };
}

function fileSettlements(data: SymbolData, factor: Float64Array, first: number, last: number): Omit<MarkPath, 'factor'> {
  const funding = data.funding!;
  const times: number[] = [];
  const rates: number[] = [];
  for (let k = 0; k < funding.time.length; k++) {
    const t = funding.time[k]!;
    if (k > 0 && t <= funding.time[k - 1]!) throw new BadDataError(funding.source, k + 1, `funding time ${new Date(t).toISOString()} is not after the row before it: rows must be sorted`);
    if (!Number.isFinite(funding.rate[k]!)) throw new BadDataError(funding.source, k + 1, `funding rate ${funding.rate[k]} is not a number`);
    if (t <= first || t > last) continue;
    times.push(t);
    rates.push(funding.rate[k]!);
  }
  return { settlementTime: Float64Array.from(times), settlementRate: Float64Array.from(rates), settlementMark: Float64Array.from(times, (t) => markAt(data, factor, t)) };
}

/** The mark at a settlement: the mark candle opening then, else the bar opening then times the premium of the bar before. */
function markAt(data: SymbolData, factor: Float64Array, time: number): number {
  if (data.mark) {
    const k = indexAtOrAfter(data.mark.time, time);
    if (data.mark.time[k] === time) return data.mark.open[k]!;
  }
  const i = indexAtOrAfter(data.candles.time, time);
  return data.candles.open[i]! * (i > 0 ? factor[i - 1]! : 1);
}
