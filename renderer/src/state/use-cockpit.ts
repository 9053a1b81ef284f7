import { useCallback, useEffect, useReducer, useRef, useState, type Dispatch } from 'react';
import { EVENT_NAMES, type CockpitApi, type EventName } from '../../../shared/contract';
import { cockpitReducer, initialCockpitState, type CockpitAction, type CockpitState, type EventAction } from './cockpit-state';
import { TickerStore } from './ticker-store';

const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TIMEOUT_MS = 4_000;
const SNAPSHOT_RETRY_MS = 2_000;

const REDUCED_EVENTS = EVENT_NAMES.filter((e) => e !== 'candle' && e !== 'ticker');

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([promise, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms))]);
}

/**
 * Connects the renderer state to the engine: loads the snapshot, follows every
 * live event, and keeps a heartbeat so the header tells the truth about the link.
 */
export function useCockpit(api: CockpitApi): {
  state: CockpitState;
  tickers: TickerStore;
  dispatch: Dispatch<CockpitAction>;
  reload: () => void;
} {
  const [state, dispatch] = useReducer(cockpitReducer, initialCockpitState);
  const [tickers] = useState(() => new TickerStore());
  const eventCounts = useRef(new Map<EventName, number>());

  const loadSnapshot = useCallback(async (): Promise<boolean> => {
    const countsBefore = new Map(eventCounts.current);
    const result = await api.invoke('session.snapshot', {});
    if (result.ok) {
      const newer = new Set([...eventCounts.current].filter(([event, count]) => count !== countsBefore.get(event)).map(([event]) => event));
      result.value.tickers.forEach((t) => tickers.set(t));
      dispatch({ type: 'snapshot', snapshot: result.value, newer });
      return true;
    }
    dispatch({ type: 'snapshot-failed', message: result.error.message });
    return false;
  }, [api, tickers]);

  useEffect(() => {
    const offTicker = api.on('ticker', (t) => tickers.set(t));
    const offSettings = api.on('settings', () => void loadSnapshot());
    const unsubscribe = REDUCED_EVENTS.map((event: EventName) =>
      api.on(event, (payload) => {
        eventCounts.current.set(event, (eventCounts.current.get(event) ?? 0) + 1);
        dispatch({ type: 'event', event, payload } as EventAction);
      }),
    );
    return () => {
      offTicker();
      offSettings();
      unsubscribe.forEach((off) => off());
    };
  }, [api, tickers, loadSnapshot]);

  useEffect(() => {
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const attempt = async () => {
      const loaded = await loadSnapshot();
      if (!loaded && !stopped) retry = setTimeout(attempt, SNAPSHOT_RETRY_MS);
    };
    void attempt();
    void api.invoke('journal.tail', { limit: 300 }).then((r) => r.ok && dispatch({ type: 'journal-tail', entries: r.value }));
    void api.invoke('credentials.status', {}).then((r) => r.ok && dispatch({ type: 'credentials', status: r.value }));
    void api.invoke('drill.list', {}).then((r) => r.ok && dispatch({ type: 'event', event: 'drill', payload: r.value.state }));
    return () => {
      stopped = true;
      clearTimeout(retry);
    };
  }, [api, loadSnapshot]);

  useEffect(() => {
    let stopped = false;
    let wasDown = false;
    const beat = async () => {
      const answer = await withTimeout(api.invoke('engine.ping', { nonce: String(Date.now()) }), HEARTBEAT_TIMEOUT_MS);
      if (stopped) return;
      const up = answer !== 'timeout' && answer.ok;
      dispatch({ type: 'link', status: up ? 'connected' : 'disconnected' });
      if (up && wasDown) void loadSnapshot();
      wasDown = !up;
    };
    void beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, loadSnapshot]);

  return { state, tickers, dispatch, reload: () => void loadSnapshot() };
}
