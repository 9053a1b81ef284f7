import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { FaultInjector } from '../engine/sim/faults';
import type { SimEvent, SimExchange, SimPosition } from '../engine/sim/types';
import type { ListenKeys } from './listen-keys';
import type { MarketDirectory, VenueMarket } from './market-directory';
import { ticker24h } from './rest-shapes';
import { accountUpdate, algoUpdate, klineEvent, liquidationUpdate, markPriceEvent, orderTradeUpdate, tickerEvent } from './stream-events';
import { checkStreamName, streamTarget } from './stream-paths';

export interface StreamServerOptions {
  exchange: SimExchange;
  markets: MarketDirectory;
  listenKeys: ListenKeys;
  faults: FaultInjector;
}

interface MarketClient {
  streams: Set<string>;
  combined: boolean;
}

const DAY_MS = 24 * 3_600_000;

/**
 * The venue's WebSocket side: Binance USDⓈ-M market streams (raw and combined,
 * with SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS frames) and the user-data
 * stream of the account's listenKey. Every frame leaves through {@link send},
 * the one place where fault injection may drop the connection.
 */
export class StreamServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly marketClients = new Map<WebSocket, MarketClient>();
  private readonly userClients = new Map<WebSocket, string>();
  private readonly marketIds: ReadonlySet<string>;
  private readonly unsubscribe: () => void;
  private pendingUserEvents: SimEvent[] = [];

  constructor(private readonly options: StreamServerOptions) {
    this.marketIds = new Set(options.markets.all().map((m) => m.id));
    this.unsubscribe = options.exchange.subscribe((event) => this.onSimEvent(event));
  }

  /** Takes over an HTTP upgrade request, or refuses it with Binance's HTTP answer. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = streamTarget(request.url ?? '/', (key) => this.options.listenKeys.isValid(key));
    if (target.kind === 'invalid') return refuseUpgrade(socket, target.code, target.reason);
    const refused = target.kind === 'market' ? target.streams.map((s) => checkStreamName(s, this.marketIds)).find((r) => r !== null) : null;
    if (refused) return refuseUpgrade(socket, -1100, refused);
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (target.kind === 'user') this.userClients.set(ws, target.listenKey);
      else this.marketClients.set(ws, { streams: new Set(target.streams), combined: target.combined });
      ws.on('message', (data) => this.onClientFrame(ws, data));
      ws.on('close', () => {
        this.marketClients.delete(ws);
        this.userClients.delete(ws);
      });
      ws.on('error', () => ws.terminate());
    });
  }

  /** How many market-stream and user-data connections are open. */
  connections(): { market: number; user: number } {
    return { market: this.marketClients.size, user: this.userClients.size };
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const ws of [...this.marketClients.keys(), ...this.userClients.keys()]) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onClientFrame(ws: WebSocket, data: RawData): void {
    let frame: { method?: unknown; params?: unknown; id?: unknown };
    try {
      frame = JSON.parse(data.toString());
    } catch {
      this.send(ws, { error: { code: 3, msg: 'Invalid JSON: expected a JSON object' } });
      return;
    }
    const id = frame.id ?? null;
    const client = this.marketClients.get(ws);
    const params = Array.isArray(frame.params) ? frame.params.map((p) => String(p).toLowerCase()) : [];
    if (frame.method === 'LIST_SUBSCRIPTIONS') {
      this.send(ws, { result: client ? [...client.streams] : [], id });
      return;
    }
    if (frame.method !== 'SUBSCRIBE' && frame.method !== 'UNSUBSCRIBE') {
      this.send(ws, { error: { code: 2, msg: `Invalid request: unknown method '${String(frame.method)}'` }, id });
      return;
    }
    if (!client) {
      this.send(ws, { error: { code: 2, msg: 'Invalid request: the user-data stream takes no subscriptions' }, id });
      return;
    }
    const refused = params.map((p) => checkStreamName(p, this.marketIds)).find((r) => r !== null);
    if (refused) {
      this.send(ws, { error: { code: 2, msg: `Invalid request: ${refused}` }, id });
      return;
    }
    for (const stream of params) {
      if (frame.method === 'SUBSCRIBE') client.streams.add(stream);
      else client.streams.delete(stream);
    }
    this.send(ws, { result: null, id });
  }

  private onSimEvent(event: SimEvent): void {
    if (event.type === 'kline') {
      const market = this.options.markets.ofCore(event.symbol);
      const stream = `${market.id.toLowerCase()}@kline_${event.timeframe}`;
      this.publish([stream], () => klineEvent({ ...event.candle, quoteVolume: event.quoteVolume }, event.timeframe, event.closed, market, this.options.exchange.now()));
    } else if (event.type === 'mark') {
      const market = this.options.markets.ofCore(event.mark.symbol);
      const id = market.id.toLowerCase();
      const payload = () => markPriceEvent(event.mark, market);
      this.publish([`${id}@markprice`, `${id}@markprice@1s`], payload);
      this.publish(['!markprice@arr', '!markprice@arr@1s'], () => [payload()]);
      this.publish([`${id}@ticker`], () => tickerEvent(this.ticker(market)));
    } else if (event.type !== 'funding') {
      if (this.pendingUserEvents.length === 0) queueMicrotask(() => this.flushUserEvents());
      this.pendingUserEvents.push(event);
    }
  }

  private ticker(market: VenueMarket) {
    const { exchange } = this.options;
    return ticker24h(market, exchange.klines(market.coreSymbol, '1h', { since: exchange.now() - DAY_MS }), exchange.mark(market.coreSymbol));
  }

  private publish(streams: readonly string[], payload: () => unknown): void {
    let built: unknown;
    for (const [ws, client] of this.marketClients) {
      const stream = streams.find((s) => client.streams.has(s));
      if (stream === undefined) continue;
      built ??= payload();
      this.send(ws, client.combined ? { stream, data: built } : built);
    }
  }

  /**
   * Sends one tick's user events in order. The core reports a liquidation as an
   * order fill followed by a `liquidation` event; Binance reports it as one
   * ORDER_TRADE_UPDATE of type LIQUIDATION, so the batch is read as a whole.
   */
  private flushUserEvents(): void {
    const events = this.pendingUserEvents;
    this.pendingUserEvents = [];
    if (this.userClients.size === 0) return;
    const { markets, exchange } = this.options;
    const now = exchange.now();
    const liquidated = new Set(events.flatMap((e) => (e.type === 'liquidation' ? [e.order.orderId] : [])));
    const touched = new Set<string>();
    for (const event of events) {
      if (event.type === 'order') {
        const market = markets.ofCore(event.order.symbol);
        if (event.fill) touched.add(event.order.symbol);
        if (liquidated.has(event.order.orderId)) {
          if (event.fill) this.sendUser(liquidationUpdate(event.order, event.fill, market, now));
        } else if (event.order.conditional) {
          this.sendUser(algoUpdate(event.order, market, now));
          if (event.fill) this.sendUser(orderTradeUpdate(event.order, event.fill, market, now));
        } else {
          this.sendUser(orderTradeUpdate(event.order, event.fill, market, now));
        }
      } else if (event.type === 'account') {
        const changed = event.positions.filter((p) => p.positionAmt !== 0 || touched.has(p.symbol));
        touched.clear();
        this.sendUser(accountUpdate(event.reason, event.account, changed.map((p) => this.withRealized(p)), now));
      }
    }
  }

  private withRealized(position: SimPosition) {
    const realizedPnl = this.options.exchange.fills(position.symbol).reduce((sum, f) => sum + f.realizedPnl, 0);
    return { position, market: this.options.markets.ofCore(position.symbol), realizedPnl };
  }

  private sendUser(payload: unknown): void {
    for (const [ws, listenKey] of this.userClients) {
      if (this.options.listenKeys.isValid(listenKey)) this.send(ws, payload);
      else {
        this.send(ws, { e: 'listenKeyExpired', E: this.options.exchange.now(), listenKey });
        ws.close(1000, 'listenKeyExpired');
        this.userClients.delete(ws);
      }
    }
  }

  /** The one way out for every frame: the fault injector may drop the connection instead. */
  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (this.options.faults.dropSocket()) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(payload));
  }
}

function refuseUpgrade(socket: Duplex, code: number, msg: string): void {
  const body = JSON.stringify({ code, msg });
  socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
