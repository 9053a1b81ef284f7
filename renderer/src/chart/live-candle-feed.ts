import type { CockpitApi } from '../../../shared/contract';
import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../../shared/domain';
import { BarRollup } from './bar-rollup';
import { normaliseHistory, toCandleBar, toChartTime, toVolumeBar } from './candle-bars';
import type { CockpitChart } from './create-cockpit-chart';
import { reportPaint } from './paint-probe';

const HISTORY_BARS = 500;
/** The timeframe the engine always streams; longer ones are rolled up from it when not streamed. */
const BASE_TIMEFRAME: Timeframe = '1m';

/** Leaves the last drawn bar on the chart element, so checks can see that the chart keeps updating. */
function markUpdated(chart: CockpitChart, candle: Candle | null, updates: number): void {
  const element = chart.chart.chartElement().parentElement;
  if (!element) return;
  element.dataset.lastBarTime = candle ? String(candle.time) : '';
  element.dataset.lastClose = candle ? String(candle.close) : '';
  element.dataset.liveUpdates = String(updates);
}

/** How the chart's history load went. */
export type HistoryState = { status: 'loading' } | { status: 'ready'; bars: number } | { status: 'failed'; message: string };

/**
 * Backfills the chart for one symbol and timeframe, then follows live bars
 * with `series.update` (never by setting all the data again). Bars that
 * arrive while history loads are applied after it. A timeframe the engine
 * does not stream is built live from its 1m bars. Returns the stop function.
 */
export function followLiveCandles(api: CockpitApi, chart: CockpitChart, symbol: string, timeframe: Timeframe, setState: (state: HistoryState) => void): () => void {
  let lastTime = 0;
  let liveUpdates = 0;
  let loaded = false;
  let cancelled = false;
  const pending: Candle[] = [];

  const apply = (candle: Candle) => {
    const time = toChartTime(candle.time);
    if (time < lastTime) return;
    chart.candles.update(toCandleBar(candle));
    chart.volume.update(toVolumeBar(candle));
    lastTime = time;
    liveUpdates += 1;
    markUpdated(chart, candle, liveUpdates);
    reportPaint(symbol, candle);
  };

  chart.candles.setData([]);
  chart.volume.setData([]);
  markUpdated(chart, null, 0);
  setState({ status: 'loading' });

  const rollUp = timeframe !== BASE_TIMEFRAME;
  let streamedNatively = !rollUp;
  let rollup: BarRollup | null = null;
  const pendingMinutes: Candle[] = [];

  const off = api.on('candle', (event) => {
    if (event.symbol !== symbol) return;
    if (event.timeframe === timeframe) {
      streamedNatively = true;
      if (loaded) apply(event.candle);
      else pending.push(event.candle);
      return;
    }
    if (streamedNatively || event.timeframe !== BASE_TIMEFRAME) return;
    if (!rollup) pendingMinutes.push(event.candle);
    else {
      const bar = rollup.add(event.candle);
      if (bar) apply(bar);
    }
  });

  const load = async () => {
    const result = await api.invoke('market.candles', { symbol, timeframe, limit: HISTORY_BARS });
    if (cancelled) return;
    if (!result.ok) {
      setState({ status: 'failed', message: result.error.message });
      retry = setTimeout(load, 3_000);
      return;
    }
    const history = normaliseHistory(result.value);
    chart.candles.setData(history.map(toCandleBar));
    chart.volume.setData(history.map(toVolumeBar));
    lastTime = history.length ? toChartTime(history[history.length - 1]!.time) : 0;
    loaded = true;
    pending.splice(0).forEach(apply);
    if (rollUp && !streamedNatively) {
      const latestMinute = pendingMinutes.splice(0).at(-1);
      rollup = new BarRollup(TIMEFRAME_MS[timeframe], history.at(-1) ?? null, latestMinute?.time ?? Date.now());
      const bar = latestMinute && rollup.add(latestMinute);
      if (bar) apply(bar);
    }
    chart.chart.timeScale().scrollToRealTime();
    setState({ status: 'ready', bars: history.length });
  };
  let retry: ReturnType<typeof setTimeout> | undefined;
  void load();

  return () => {
    cancelled = true;
    clearTimeout(retry);
    off();
  };
}
