import { useEffect, useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { Timeframe } from '../../../shared/domain';
import type { CockpitChart } from './create-cockpit-chart';
import { followLiveCandles, type HistoryState } from './live-candle-feed';

/** Follows one symbol and timeframe on the chart (see {@link followLiveCandles}) while mounted; returns how the history load went. */
export function useLiveCandles(api: CockpitApi, chart: CockpitChart | null, symbol: string | null, timeframe: Timeframe): HistoryState {
  const [state, setState] = useState<HistoryState>({ status: 'loading' });

  useEffect(() => {
    if (!chart || !symbol) return;
    return followLiveCandles(api, chart, symbol, timeframe, setState);
  }, [api, chart, symbol, timeframe]);

  return state;
}
