import type { Candle, Timeframe } from '../../../shared/domain';
import type { ExchangePosition, ExchangeStreamEvent, StreamSubscription } from './adapter';
import type { CcxtExchange, Parsers } from './ccxt-adapter';
import { toBalance, toCandle, toTicker } from './ccxt-parse';
import { errorMessage } from '../../../shared/error-message';

export interface StreamOptions {
  privateStreams: boolean;
  settle: string;
  now: () => number;
  /** The full list of open positions over REST; the stream only sends the ones that change. */
  snapshotPositions: () => Promise<ExchangePosition[]>;
  parse: Parsers;
}

/** The adapter's push streams; see {@link createCcxtStreams}. */
export interface CcxtStreams {
  /** Events reach `listener` from the streams the subscription asks for until the returned stop is called. */
  subscribe(subscription: StreamSubscription, listener: (event: ExchangeStreamEvent) => void): () => void;
  /**
   * What a REST look reported replaces what the position stream holds: a close the stream never
   * sent (a flatten's, say) cannot come back with its next update as a stale position.
   */
  restPositions(positions: readonly ExchangePosition[]): void;
}

interface Subscriber {
  listener: (event: ExchangeStreamEvent) => void;
  /** It has been told `connected`. */
  announced: boolean;
}

interface WatchLoop {
  readonly name: string;
  readonly subscribers: Set<Subscriber>;
  broken: boolean;
}

/** One pass of a loop: waits for the stream's next update and emits what it carries. */
type Watch = (emit: (event: ExchangeStreamEvent) => void) => Promise<void>;

/** Trade ids remembered to drop a fill the stream sends again. */
const REMEMBERED_FILLS = 2_000;

/**
 * Runs one ccxt.pro watch loop per stream: candles per set of symbols and timeframes, mark
 * prices per set of symbols, and the account's orders, fills, positions and balance.
 *
 * A loop is shared by every subscription that asks for the same stream, and runs while one
 * listens: each update reaches the subscriptions listening when it arrives, so a resubscribe
 * (stop, then subscribe again) hands the running loops over without restarting them. Only a
 * stream whose symbols changed gets a new loop; the old one, once nobody listens, emits nothing
 * its pending watch returns and ends. ccxt.pro answers every caller of the same watch with the
 * same future, so two loops on one stream would each emit every update.
 *
 * A failing loop reports `reconnecting`, backs off and resumes (ccxt reconnects on the next
 * watch); its first success after a failure reports `connected`, which tells the engine to
 * backfill and reconcile.
 */
export function createCcxtStreams(exchange: CcxtExchange, options: StreamOptions): CcxtStreams {
  const loops = new Map<string, WatchLoop>();
  const subscribers = new Set<Subscriber>();
  const fillsSeen = new Set<string>();
  let failing = 0;

  const deliver = (to: Iterable<Subscriber>, event: ExchangeStreamEvent, only?: (s: Subscriber) => boolean) => {
    for (const subscriber of [...to]) {
      if (subscribers.has(subscriber) && (!only || only(subscriber))) subscriber.listener(event);
    }
  };

  const succeeded = (loop: WatchLoop) => {
    if (loop.broken) failing = Math.max(0, failing - 1);
    loop.broken = false;
    const recovered = failing > 0;
    failing = 0;
    const told = (s: Subscriber) => {
      const tell = recovered || !s.announced;
      s.announced = true;
      return tell;
    };
    deliver(recovered ? subscribers : loop.subscribers, { type: 'connection', state: 'connected', detail: null }, told);
  };

  const run = async (key: string, loop: WatchLoop, watch: Watch) => {
    const emit = (event: ExchangeStreamEvent) => deliver(loop.subscribers, event);
    let delay = 250;
    while (loop.subscribers.size) {
      try {
        await watch(emit);
        delay = 250;
        if (loop.subscribers.size) succeeded(loop);
      } catch (error) {
        if (!loop.subscribers.size) break;
        if (!loop.broken) {
          loop.broken = true;
          failing += 1;
          deliver(subscribers, { type: 'connection', state: 'reconnecting', detail: `${loop.name}: ${errorMessage(error)}` });
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    }
    if (loop.broken) failing = Math.max(0, failing - 1);
    loops.delete(key);
  };

  const join = (key: string, name: string, subscriber: Subscriber, start: () => Watch): WatchLoop => {
    const running = loops.get(key);
    if (running) {
      running.subscribers.add(subscriber);
      return running;
    }
    const loop: WatchLoop = { name, subscribers: new Set([subscriber]), broken: false };
    loops.set(key, loop);
    void run(key, loop, start());
    return loop;
  };

  const candles = (pairs: Array<[string, Timeframe]>): Watch => {
    const lastBar = new Map<string, Candle>();
    return async (emit) => {
      const result = (await exchange.watchOHLCVForSymbols(pairs)) as Record<string, Record<string, number[][]>>;
      for (const [symbol, byTf] of Object.entries(result)) {
        for (const [tf, rows] of Object.entries(byTf)) {
          for (const row of rows) emitBar(emit, lastBar, symbol, tf as Timeframe, toCandle(row));
        }
      }
    };
  };

  const markPrices =
    (symbols: string[]): Watch =>
    async (emit) => {
      const tickers = await exchange.watchMarkPrices(symbols);
      for (const ticker of Object.values(tickers)) emit({ type: 'ticker', ticker: toTicker(ticker, options.now()) });
    };

  const orders = (): Watch => async (emit) => {
    for (const order of await exchange.watchOrders()) emit({ type: 'order', order: options.parse.order(order) });
  };

  /** A trade ccxt hands over again (a replayed message updates its cache entry) is emitted once. */
  const firstSighting = (trade: Record<string, any>): boolean => {
    if (trade.id === undefined || trade.id === null || trade.id === '') return true;
    const key = `${String(trade.symbol)}|${String(trade.id)}`;
    if (fillsSeen.has(key)) return false;
    fillsSeen.add(key);
    if (fillsSeen.size > REMEMBERED_FILLS) fillsSeen.delete(fillsSeen.values().next().value!);
    return true;
  };

  const fills = (): Watch => async (emit) => {
    for (const trade of await exchange.watchMyTrades()) if (firstSighting(trade)) emit({ type: 'fill', fill: options.parse.fill(trade) });
  };

  const open = new Map<string, ExchangePosition>();
  const positions = (): Watch => {
    let seeded = false;
    return async (emit) => {
      if (!seeded) {
        const snapshot = await options.snapshotPositions();
        open.clear();
        for (const position of snapshot) open.set(position.symbol, position);
        seeded = true;
      }
      let updates;
      try {
        updates = await exchange.watchPositions();
      } catch (error) {
        seeded = false;
        throw error;
      }
      for (const update of updates) {
        const position = options.parse.position(update);
        if (position) open.set(position.symbol, position);
        else open.delete(String(update.symbol));
      }
      emit({ type: 'positions', positions: [...open.values()] });
    };
  };

  const balance = (): Watch => async (emit) => {
    const raw = await exchange.watchBalance();
    emit({ type: 'balance', balance: toBalance(raw, options.settle) });
  };

  return {
    restPositions(reported) {
      open.clear();
      for (const position of reported) open.set(position.symbol, position);
    },
    subscribe(subscription, listener) {
      const subscriber: Subscriber = { listener, announced: false };
      subscribers.add(subscriber);
      const joined: WatchLoop[] = [];
      const pairs = subscription.symbols.flatMap((symbol) => subscription.timeframes.map((tf) => [symbol, tf] as [string, Timeframe]));
      if (pairs.length) joined.push(join(`candles ${pairs.map((p) => p.join('@')).join(',')}`, 'candles', subscriber, () => candles(pairs)));
      const marks = subscription.marks ?? subscription.symbols;
      if (marks.length) joined.push(join(`marks ${marks.join(',')}`, 'mark prices', subscriber, () => markPrices(marks)));
      if (options.privateStreams) {
        joined.push(
          join('orders', 'orders', subscriber, orders),
          join('fills', 'fills', subscriber, fills),
          join('positions', 'positions', subscriber, positions),
          join('balance', 'balance', subscriber, balance),
        );
      }
      return () => {
        subscribers.delete(subscriber);
        for (const loop of joined) loop.subscribers.delete(subscriber);
      };
    },
  };
}

function emitBar(emit: (event: ExchangeStreamEvent) => void, lastBar: Map<string, Candle>, symbol: string, timeframe: Timeframe, candle: Candle) {
  const key = `${symbol}|${timeframe}`;
  const previous = lastBar.get(key);
  if (previous && candle.time < previous.time) return;
  if (previous && candle.time > previous.time) emit({ type: 'candle', symbol, timeframe, candle: previous, closed: true });
  lastBar.set(key, candle);
  emit({ type: 'candle', symbol, timeframe, candle, closed: false });
}
