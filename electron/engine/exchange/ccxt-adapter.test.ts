import fs from 'node:fs';
import path from 'node:path';
import ccxt from 'ccxt';
import { describe, expect, it, vi } from 'vitest';
import { createCcxtAdapter, createCcxtExchange, type CcxtExchange } from './ccxt-adapter';
import type { ExchangeStreamEvent } from './adapter';
import { AccountSetupError, AmbiguousOrderError, OrderNotFoundError, OrderRejectedError, TemporaryExchangeError } from './errors';

const FIXTURES = '/work/shared/data/ccxt-static';
const fixture = (file: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));

/** The recorded Binance markets use decimal places; ccxt 4.5 reads precision as tick sizes. */
function binanceMarkets(): Record<string, any> {
  const markets = fixture('markets/binance.json') as Record<string, any>;
  for (const m of Object.values(markets)) {
    if (m.precision && typeof m.precision.amount === 'number' && m.precision.amount >= 1 - 1e-9 && Number.isInteger(m.precision.amount)) {
      m.precision = { ...m.precision, amount: 10 ** -m.precision.amount, price: 10 ** -m.precision.price };
    }
  }
  return markets;
}

interface Captured {
  url: URL;
  method: string;
  params: URLSearchParams;
}

/** `no position`: one-way, with nothing open (where positions tell the mode, they then say nothing). */
type PositionMode = 'one-way' | 'hedge' | 'no position';

/** How each exchange answers the position-mode query (ccxt fetchPositionMode). */
const POSITION_MODE_ANSWERS: Record<string, { path: string; answer: (mode: PositionMode) => unknown }> = {
  binanceusdm: { path: '/fapi/v1/positionSide/dual', answer: (mode) => ({ dualSidePosition: mode === 'hedge' }) },
  okx: { path: '/api/v5/account/config', answer: (mode) => ({ code: '0', msg: '', data: [{ uid: '1', acctLv: '2', posMode: mode === 'hedge' ? 'long_short_mode' : 'net_mode' }] }) },
  /** Bybit has no position-mode query in ccxt: its positions' positionIdx (0 one-way, 1 and 2 the sides of a hedge) tells. */
  bybit: {
    path: '/v5/position/list',
    answer: (mode) => ({
      retCode: 0,
      retMsg: 'OK',
      result: {
        category: 'linear',
        list:
          mode === 'no position'
            ? []
            : [{ symbol: 'BTCUSDT', positionIdx: mode === 'hedge' ? '1' : '0', side: 'Buy', size: '0.01', avgPrice: '60000', markPrice: '60100', leverage: '5', tradeMode: 0, positionValue: '600', unrealisedPnl: '1', liqPrice: '48000', createdTime: '1', updatedTime: '2' }],
        nextPageCursor: '',
      },
      time: 1,
    }),
  },
};

/**
 * A ccxt exchange whose HTTP hook answers from a script: no request leaves the process.
 * Markets loaded; the account answers that it is one-way unless told otherwise.
 */
async function offline(id: 'binanceusdm' | 'bybit' | 'okx', markets: Record<string, any> | any[], respond: (req: Captured) => unknown) {
  const prepared = offlineUnloaded(id, markets, respond);
  await prepared.adapter.loadMarkets();
  prepared.requests.length = 0;
  return prepared;
}

/** {@link offline} before the adapter's first loadMarkets, which is where live trading starts. */
function offlineUnloaded(id: 'binanceusdm' | 'bybit' | 'okx', markets: Record<string, any> | any[], respond: (req: Captured) => unknown, positionMode: PositionMode | (() => PositionMode) = 'one-way') {
  const exchange = createCcxtExchange({ exchange: id, credentials: { apiKey: 'k'.repeat(16), apiSecret: 's'.repeat(16), password: 'p'.repeat(8) }, exchangeUrl: 'http://127.0.0.1:9' });
  exchange.setMarkets(markets);
  // A Bybit unified trading account, as ccxt would learn from its account-info calls.
  if (id === 'bybit') Object.assign(exchange.options, { enableUnifiedAccount: true, enableUnifiedMargin: false });
  const requests: Captured[] = [];
  exchange.fetch = (async (url: string, method = 'GET', _headers?: unknown, body?: string) => {
    const parsed = new URL(url);
    const params = new URLSearchParams(parsed.search);
    if (body) {
      const text = String(body);
      const json = /^\s*[[{]/.test(text) ? JSON.parse(text) : null;
      const fields = Array.isArray(json) ? json[0] : json;
      const extra = fields ? new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])) : new URLSearchParams(text);
      extra.forEach((v, k) => params.set(k, v));
    }
    const req = { url: parsed, method, params };
    if (parsed.pathname.endsWith('/leverageBracket')) return [];
    requests.push(req);
    const modeQuery = POSITION_MODE_ANSWERS[id];
    if (modeQuery && parsed.pathname === modeQuery.path) return modeQuery.answer(typeof positionMode === 'function' ? positionMode() : positionMode);
    const answer = respond(req);
    if (answer instanceof Error) throw answer;
    return answer;
  }) as CcxtExchange['fetch'];
  const adapter = createCcxtAdapter({ exchange: id, credentials: { apiKey: 'k'.repeat(16), apiSecret: 's'.repeat(16) } }, exchange);
  return { adapter, exchange, requests };
}

const withoutVolatile = (params: URLSearchParams, skip: string[]) => {
  const out: Record<string, string> = {};
  params.forEach((v, k) => {
    if (!skip.includes(k)) out[k] = v;
  });
  return out;
};

describe('the ccxt adapter on Binance USDⓈ-M (recorded ccxt fixtures)', () => {
  const requestFixture = fixture('request/binance.json');
  const skip = [...requestFixture.skipKeys, 'clientAlgoId'];
  const markets = binanceMarkets();

  function primeAdapter() {
    return offline('binanceusdm', markets, (req) => {
      const isAlgo = req.url.pathname.endsWith('/algoOrder');
      return isAlgo
        ? { algoId: 77, clientAlgoId: req.params.get('clientAlgoId'), algoType: 'CONDITIONAL', orderType: req.params.get('type'), symbol: req.params.get('symbol'), side: req.params.get('side'), positionSide: 'BOTH', quantity: req.params.get('quantity'), algoStatus: 'NEW', triggerPrice: req.params.get('triggerPrice'), workingType: req.params.get('workingType'), reduceOnly: req.params.get('reduceOnly') === 'true', closePosition: false, createTime: 1, updateTime: 1 }
        : { orderId: 55, symbol: req.params.get('symbol'), status: 'FILLED', clientOrderId: req.params.get('newClientOrderId'), price: '0', avgPrice: '70.10', origQty: req.params.get('quantity'), executedQty: req.params.get('quantity'), cumQuote: '7', timeInForce: 'GTC', type: 'MARKET', reduceOnly: req.params.get('reduceOnly') === 'true', closePosition: false, side: req.params.get('side'), positionSide: 'BOTH', stopPrice: '0', workingType: 'CONTRACT_PRICE', origType: 'MARKET', updateTime: 2 };
    });
  }

  it('lifts ccxt’s client-side throttle while urgent work runs, until the last overlapping piece ends', async () => {
    const { adapter } = await primeAdapter();
    const ccxtExchange = (adapter as unknown as { exchange: { enableRateLimit: boolean } }).exchange;
    ccxtExchange.enableRateLimit = true;
    let finishFirst!: () => void;
    const first = adapter.withoutThrottle(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    expect(ccxtExchange.enableRateLimit).toBe(false);
    await adapter.withoutThrottle(async () => expect(ccxtExchange.enableRateLimit).toBe(false));
    expect(ccxtExchange.enableRateLimit).toBe(false);
    finishFirst();
    await first;
    expect(ccxtExchange.enableRateLimit).toBe(true);
    await expect(adapter.withoutThrottle(() => Promise.reject(new Error('exchange down')))).rejects.toThrow('exchange down');
    expect(ccxtExchange.enableRateLimit).toBe(true);
  });

  it('sends a market entry exactly as the recorded "Swap market buy order", with the cockpit client id', async () => {
    const recorded = requestFixture.methods.createOrder.find((c: any) => c.description === 'Swap market buy order');
    const { adapter, requests } = await primeAdapter();
    const order = await adapter.createOrder({ symbol: 'LTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.1, reduceOnly: false, clientOrderId: 'ck-abc123-e-1' });
    const sent = requests.at(-1)!;
    expect(sent.url.pathname).toBe(new URL(recorded.url).pathname);
    expect(withoutVolatile(sent.params, skip)).toEqual(withoutVolatile(new URLSearchParams(recorded.output), skip));
    expect(sent.params.get('newClientOrderId')).toBe('ck-abc123-e-1');
    expect(order).toMatchObject({ clientOrderId: 'ck-abc123-e-1', status: 'filled', filled: 0.1, averagePrice: 70.1, purpose: 'entry', conditional: false });
  });

  it('sends the stop-loss as a reduce-only STOP_MARKET algo order on the mark price, rounded to the market', async () => {
    const recorded = requestFixture.methods.createOrder.find((c: any) => c.description === 'Swap limit sell with stopLossPrice (type 2)');
    const { adapter, requests } = await primeAdapter();
    const order = await adapter.createOrder({ symbol: 'LTC/USDT:USDT', side: 'sell', type: 'stop_market', amount: 0.21049, triggerPrice: 51.236, triggerBy: 'mark', reduceOnly: true, clientOrderId: 'ck-abc123-sl-1' });
    const sent = requests.at(-1)!;
    expect(sent.url.pathname).toBe(new URL(recorded.url).pathname);
    expect(Object.fromEntries(sent.params)).toMatchObject({
      symbol: 'LTCUSDT',
      side: 'SELL',
      type: 'STOP_MARKET',
      algoType: 'CONDITIONAL',
      quantity: '0.21',
      triggerPrice: '51.24',
      workingType: 'MARK_PRICE',
      reduceOnly: 'true',
      clientAlgoId: 'ck-abc123-sl-1',
    });
    expect(sent.params.has('price')).toBe(false);
    expect(order).toMatchObject({ id: '77', type: 'stop_market', purpose: 'stop', conditional: true, triggerPrice: 51.24, triggerBy: 'mark', reduceOnly: true });
  });

  it('sends the take-profit as a reduce-only TAKE_PROFIT_MARKET algo order on the mark price', async () => {
    const { adapter, requests } = await primeAdapter();
    await adapter.createOrder({ symbol: 'BTC/USDT:USDT', side: 'sell', type: 'take_profit_market', amount: 0.0129, triggerPrice: 71234.56, triggerBy: 'mark', reduceOnly: true, clientOrderId: 'ck-abc123-tp-1' });
    const sent = Object.fromEntries(requests.at(-1)!.params);
    expect(sent).toMatchObject({ type: 'TAKE_PROFIT_MARKET', quantity: '0.012', triggerPrice: '71234.6', workingType: 'MARK_PRICE', reduceOnly: 'true', algoType: 'CONDITIONAL' });
  });

  it('refuses an amount that rounds to nothing instead of sending it', async () => {
    const { adapter, requests } = await primeAdapter();
    await expect(adapter.createOrder({ symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.0004, reduceOnly: false, clientOrderId: 'ck-abc123-e-1' })).rejects.toBeInstanceOf(OrderRejectedError);
    expect(requests).toEqual([]);
  });

  it('cancels a conditional order through the algo endpoint and a normal one through the order endpoint', async () => {
    const { adapter, requests } = await offline('binanceusdm', markets, (req) =>
      req.url.pathname.endsWith('/algoOrder') ? { algoId: 77, clientAlgoId: 'x', code: '200', msg: 'success' } : { orderId: 55, symbol: 'LTCUSDT', status: 'CANCELED', positionSide: 'BOTH', cumQuote: '0' },
    );
    await adapter.cancelOrder({ id: '77', symbol: 'LTC/USDT:USDT', conditional: true });
    await adapter.cancelOrder({ id: '55', symbol: 'LTC/USDT:USDT', conditional: false });
    expect(requests.map((r) => [r.method, r.url.pathname, r.params.get('algoId') ?? r.params.get('orderId')])).toEqual([
      ['DELETE', '/fapi/v1/algoOrder', '77'],
      ['DELETE', '/fapi/v1/order', '55'],
    ]);
  });

  it('finds an order by client id among normal orders, then among algo orders', async () => {
    const { adapter, requests } = await offline('binanceusdm', markets, (req) => {
      if (req.url.pathname.endsWith('/order')) return new ccxt.OrderNotFound('binanceusdm {"code":-2013,"msg":"Order does not exist."}');
      return { algoId: 9, clientAlgoId: req.params.get('clientAlgoId'), algoType: 'CONDITIONAL', orderType: 'STOP_MARKET', symbol: 'LTCUSDT', side: 'SELL', positionSide: 'BOTH', quantity: '1', algoStatus: 'NEW', triggerPrice: '60', workingType: 'MARK_PRICE', reduceOnly: true, createTime: 1, updateTime: 1 };
    });
    const found = await adapter.fetchOrderByClientId('LTC/USDT:USDT', 'ck-abc123-sl-2');
    expect(requests.map((r) => [r.url.pathname, r.params.get('origClientOrderId') ?? r.params.get('clientAlgoId')])).toEqual([
      ['/fapi/v1/order', 'ck-abc123-sl-2'],
      ['/fapi/v1/algoOrder', 'ck-abc123-sl-2'],
    ]);
    expect(found).toMatchObject({ clientOrderId: 'ck-abc123-sl-2', conditional: true, purpose: 'stop' });
  });

  it('answers null when the client id is unknown everywhere', async () => {
    const { adapter } = await offline('binanceusdm', markets, () => new ccxt.OrderNotFound('binanceusdm {"code":-2013,"msg":"Order does not exist."}'));
    await expect(adapter.fetchOrderByClientId('LTC/USDT:USDT', 'ck-nope-e-1')).resolves.toBeNull();
  });

  it('reports a timeout on order placement as an ambiguous outcome, and elsewhere as temporary', async () => {
    const { adapter } = await offline('binanceusdm', markets, () => new ccxt.RequestTimeout('binanceusdm POST timed out'));
    await expect(adapter.createOrder({ symbol: 'LTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.1, reduceOnly: false, clientOrderId: 'ck-a-e-1' })).rejects.toBeInstanceOf(AmbiguousOrderError);
    const error = await adapter.fetchBalance().catch((e) => e);
    expect(error.constructor.name).toBe('TemporaryExchangeError');
  });

  it.each([
    ['-1006', 'An unexpected response was received from the message bus. Execution status unknown.'],
    ['-1000', 'An unknown error occured while processing the request.'],
    ['-1008', 'Server is currently overloaded with other requests. Please try again in a few minutes.'],
  ])('treats Binance %s (ccxt OperationFailed) on order placement as an ambiguous outcome, and elsewhere as temporary', async (code, msg) => {
    const failure = () => new ccxt.OperationFailed(`binanceusdm {"code":${code},"msg":"${msg}"}`);
    const { adapter } = await offline('binanceusdm', markets, failure);
    const placing = await adapter.createOrder({ symbol: 'LTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.1, reduceOnly: false, clientOrderId: 'ck-a-e-1' }).catch((e) => e);
    expect(placing).toBeInstanceOf(AmbiguousOrderError);
    expect(placing.code).toBe(code);
    const reading = await adapter.fetchPositions().catch((e) => e);
    expect(reading).toBeInstanceOf(TemporaryExchangeError);
  });

  it('fails the market load on a temporary failure to read the margin tiers, so a retry reads them: markets without tiers would refuse every entry', async () => {
    const { adapter, exchange } = offlineUnloaded('binanceusdm', markets, () => []);
    const tier = { tier: 1, minNotional: 0, maxNotional: 50_000, maintenanceMarginRate: 0.01, maxLeverage: 20, info: { cum: '0' } };
    const answers: Array<() => unknown> = [
      () => {
        throw new ccxt.ExchangeNotAvailable('binanceusdm GET https://fapi.binance.com/fapi/v1/leverageBracket 503 Service Unavailable');
      },
      () => ({ 'LTC/USDT:USDT': [tier] }),
    ];
    exchange.fetchLeverageTiers = (async () => answers.shift()!()) as unknown as CcxtExchange['fetchLeverageTiers'];
    await expect(adapter.loadMarkets()).rejects.toBeInstanceOf(TemporaryExchangeError);
    await adapter.loadMarkets();
    expect(adapter.market('LTC/USDT:USDT').tiers).toEqual([{ minNotional: 0, maxNotional: 50_000, maintenanceMarginRate: 0.01, maintenanceAmount: 0, maxLeverage: 20 }]);
  });

  it('still loads the markets when the exchange refuses the margin tiers outright', async () => {
    const { adapter, exchange } = offlineUnloaded('binanceusdm', markets, () => []);
    exchange.fetchLeverageTiers = (async () => {
      throw new ccxt.PermissionDenied('binanceusdm {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}');
    }) as unknown as CcxtExchange['fetchLeverageTiers'];
    await expect(adapter.loadMarkets()).resolves.not.toHaveLength(0);
  });

  it('maps an unknown order on cancel to OrderNotFoundError', async () => {
    const { adapter } = await offline('binanceusdm', markets, () => new ccxt.OrderNotFound('binanceusdm {"code":-2011,"msg":"Unknown order sent."}'));
    const error = await adapter.cancelOrder({ id: '1', symbol: 'LTC/USDT:USDT', conditional: false }).catch((e) => e);
    expect(error).toBeInstanceOf(OrderNotFoundError);
    expect(error.code).toBe('-2011');
  });

  describe('parses the recorded responses', () => {
    const responses = fixture('response/binance.json').methods;
    const answer = (method: string, description: string) => responses[method].find((c: any) => c.description === description).httpResponse;

    it('positions: size, side, prices and margins of the recorded BTCUSDT position', async () => {
      const { adapter } = await offline('binanceusdm', markets, () => answer('fetchPositions', 'Fetch linear positions without symbols'));
      const [position] = await adapter.fetchPositions();
      expect(position).toMatchObject({ symbol: 'BTC/USDT:USDT', side: 'long', contracts: 0.009, entryPrice: 67445.9, liquidationPrice: 64846.98753790, marginMode: 'cross', initialMargin: 7.59405208, maintenanceMargin: 2.43009666 });
      expect(position!.markPrice).toBeCloseTo(67502.68519858, 6);
    });

    it('balance: wallet, margin balance and available balance of the futures account', async () => {
      const raw = answer('fetchBalance', 'Linear swap balance');
      const { adapter } = await offline('binanceusdm', markets, () => raw);
      const balance = await adapter.fetchBalance();
      const usdt = raw.assets.find((a: any) => a.asset === 'USDT');
      expect(balance).toEqual({
        currency: 'USDT',
        walletBalance: Number(usdt.walletBalance),
        unrealizedPnl: Number(usdt.unrealizedProfit),
        marginBalance: Number(usdt.marginBalance),
        availableBalance: Number(usdt.availableBalance),
        initialMargin: Number(usdt.initialMargin),
        maintenanceMargin: Number(usdt.maintMargin),
      });
    });

    it('candles: the recorded 1m swap klines', async () => {
      const { adapter } = await offline('binanceusdm', markets, () => answer('fetchOHLCV', 'swap ohlcv'));
      const candles = await adapter.fetchOHLCV('BTC/USDT:USDT', '1m', undefined, 3);
      expect(candles[1]).toEqual({ time: 1712738520000, open: 71471, high: 71471, low: 70459.4, close: 70459.4, volume: 0.12 });
    });
  });

  it('counts requests for the rate-limit gauge and prefers the used-weight header', async () => {
    const { adapter, exchange } = await primeAdapter();
    const before = adapter.rateLimit()!.used;
    await adapter.createOrder({ symbol: 'LTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.1, reduceOnly: false, clientOrderId: 'ck-a-e-1' });
    expect(adapter.rateLimit()).toEqual({ used: before + 1, limit: 2400, windowMs: 60_000 });
    exchange.last_response_headers = { 'X-MBX-USED-WEIGHT-1M': '37' } as never;
    expect(adapter.rateLimit()?.used).toBe(37);
  });
});

describe('the ccxt adapter on Bybit (recorded ccxt markets)', () => {
  const markets = fixture('markets/bybit.json');

  it('builds the stop-loss with the unified client id as orderLinkId, a mark-price trigger and the falling direction', async () => {
    const { adapter, requests } = await offline('bybit', markets, () => ({ retCode: 0, retMsg: 'OK', result: { orderId: 'b-1', orderLinkId: 'ck-abc123-sl-1' }, time: 1 }));
    const order = await adapter.createOrder({ symbol: 'BTC/USDT:USDT', side: 'sell', type: 'stop_market', amount: 0.0129, triggerPrice: 60123.44, triggerBy: 'mark', reduceOnly: true, clientOrderId: 'ck-abc123-sl-1' });
    const sent = requests.at(-1)!;
    expect(sent.url.pathname).toBe('/v5/order/create');
    expect(Object.fromEntries(sent.params)).toMatchObject({
      category: 'linear',
      symbol: 'BTCUSDT',
      side: 'Sell',
      orderType: 'Market',
      qty: '0.012',
      triggerPrice: '60123.4',
      triggerDirection: '2',
      triggerBy: 'MarkPrice',
      reduceOnly: 'true',
      orderLinkId: 'ck-abc123-sl-1',
    });
    expect(order.clientOrderId).toBe('ck-abc123-sl-1');
  });

  const bybitOrderRow = (over: Record<string, string>) => ({
    orderId: 'b-9',
    orderLinkId: 'ck-abc123-e-1',
    symbol: 'BTCUSDT',
    side: 'Buy',
    orderType: 'Market',
    price: '0',
    qty: '0.01',
    cumExecQty: '0.01',
    avgPrice: '60000',
    orderStatus: 'Filled',
    timeInForce: 'IOC',
    reduceOnly: false,
    createdTime: '1700000000000',
    updatedTime: '1700000000100',
    ...over,
  });
  const bybitLists = (open: unknown[], closed: unknown[]) => (req: Captured) => {
    const list = req.url.pathname === '/v5/order/realtime' ? open : req.url.pathname === '/v5/order/history' ? closed : null;
    if (!list) return new Error(`unexpected request ${req.url.pathname}`);
    const wanted = req.params.get('orderLinkId');
    return { retCode: 0, retMsg: 'OK', result: { category: 'linear', list: list.filter((o: any) => o.orderLinkId === wanted), nextPageCursor: '' }, time: 1 };
  };

  it('finds a filled entry by its client id in the closed orders, by orderLinkId (fetchOrder is refused on a unified account)', async () => {
    const { adapter, requests } = await offline('bybit', markets, bybitLists([], [bybitOrderRow({})]));
    const found = await adapter.fetchOrderByClientId('BTC/USDT:USDT', 'ck-abc123-e-1');
    expect(found).toMatchObject({ clientOrderId: 'ck-abc123-e-1', status: 'filled', filled: 0.01, averagePrice: 60_000 });
    expect(requests.map((r) => [r.url.pathname, r.params.get('orderLinkId')])).toEqual([
      ['/v5/order/realtime', 'ck-abc123-e-1'],
      ['/v5/order/history', 'ck-abc123-e-1'],
    ]);
  });

  it('finds a working stop among the open conditional orders, and answers null for an id it never saw', async () => {
    const stop = bybitOrderRow({ orderId: 'b-10', orderLinkId: 'ck-abc123-sl-1', side: 'Sell', orderStatus: 'Untriggered', triggerPrice: '58000', cumExecQty: '0', avgPrice: '0', stopOrderType: 'StopLoss' });
    const { adapter, requests } = await offline('bybit', markets, bybitLists([stop], []));
    expect(await adapter.fetchOrderByClientId('BTC/USDT:USDT', 'ck-abc123-sl-1')).toMatchObject({ clientOrderId: 'ck-abc123-sl-1', status: 'open' });
    requests.length = 0;
    expect(await adapter.fetchOrderByClientId('BTC/USDT:USDT', 'ck-nobody-e-1')).toBeNull();
    expect(requests).toHaveLength(4);
    expect(requests.slice(2).every((r) => r.params.get('orderFilter') === 'StopOrder')).toBe(true);
  });

  it('builds the market entry with its orderLinkId and the rounded quantity', async () => {
    const { adapter, requests } = await offline('bybit', markets, () => ({ retCode: 0, retMsg: 'OK', result: { orderId: 'b-2', orderLinkId: 'ck-abc123-e-1' }, time: 1 }));
    await adapter.createOrder({ symbol: 'ETH/USDT:USDT', side: 'buy', type: 'market', amount: 1.23456, reduceOnly: false, clientOrderId: 'ck-abc123-e-1' });
    expect(Object.fromEntries(requests.at(-1)!.params)).toMatchObject({ category: 'linear', symbol: 'ETHUSDT', side: 'Buy', orderType: 'Market', qty: '1.23', orderLinkId: 'ck-abc123-e-1' });
  });
});

describe('which account the ccxt adapter trades on', () => {
  it('names the network when it is not the exchange’s main one: the testnet, or the host a base URL points at', () => {
    expect(createCcxtAdapter({ exchange: 'bybit', credentials: null }).network).toBeUndefined();
    expect(createCcxtAdapter({ exchange: 'bybit', credentials: null, testnet: true }).network).toBe('testnet');
    expect(createCcxtAdapter({ exchange: 'binanceusdm', credentials: null, exchangeUrl: 'http://127.0.0.1:4321' }).network).toBe('127.0.0.1:4321');
  });

  it('names demo trading as a network and a practice account of its own, apart from the real account', () => {
    const demo = createCcxtAdapter({ exchange: 'binanceusdm', credentials: null, demo: true });
    expect([demo.network, demo.practice]).toEqual(['demo', 'demo']);
    const real = createCcxtAdapter({ exchange: 'binanceusdm', credentials: null });
    expect([real.network, real.practice]).toEqual([undefined, undefined]);
    expect(createCcxtAdapter({ exchange: 'binanceusdm', credentials: null, demo: true, exchangeUrl: 'http://127.0.0.1:4321' }).network).toBe('127.0.0.1:4321-demo');
  });

  it('streams the mark prices of every symbol in `marks`, watched or not', async () => {
    const adapter = createCcxtAdapter({ exchange: 'binanceusdm', credentials: null, exchangeUrl: 'http://127.0.0.1:9' });
    const asked: string[][] = [];
    adapter.exchange.watchMarkPrices = (async (symbols: string[]) => {
      asked.push(symbols);
      return new Promise(() => undefined);
    }) as CcxtExchange['watchMarkPrices'];
    const stop = adapter.subscribe({ symbols: ['BTC/USDT:USDT'], timeframes: [], marks: ['BTC/USDT:USDT', 'ETH/USDT:USDT'] }, () => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    expect(asked).toEqual([['BTC/USDT:USDT', 'ETH/USDT:USDT']]);
  });
});

/** OKX instruments as its GET /api/v5/public/instruments answers them: sizes count contracts of `ctVal` base units. */
const OKX_INSTRUMENTS = [
  { instId: 'BTC-USDT-SWAP', instType: 'SWAP', instFamily: 'BTC-USDT', uly: 'BTC-USDT', settleCcy: 'USDT', ctType: 'linear', ctVal: '0.01', ctValCcy: 'BTC', ctMult: '1', lotSz: '0.01', minSz: '0.01', maxLmtSz: '100000000', maxMktSz: '12000', tickSz: '0.1', lever: '100', state: 'live', listTime: '1611916828000' },
  { instId: 'DOGE-USDT-SWAP', instType: 'SWAP', instFamily: 'DOGE-USDT', uly: 'DOGE-USDT', settleCcy: 'USDT', ctType: 'linear', ctVal: '1000', ctValCcy: 'DOGE', ctMult: '1', lotSz: '1', minSz: '1', maxLmtSz: '100000', maxMktSz: '2000', tickSz: '0.00001', lever: '75', state: 'live', listTime: '1611916828000' },
];
const okxMarkets = () => OKX_INSTRUMENTS.map((raw) => new ccxt.okx().parseMarket(raw));
const okxAccepted = (req: Captured) => ({ code: '0', msg: '', data: [{ ordId: '501', algoId: '601', clOrdId: req.params.get('clOrdId'), algoClOrdId: req.params.get('algoClOrdId'), sCode: '0', sMsg: '' }] });

describe('the ccxt adapter on OKX: contracts of contractSize base units, base amounts for the engine', () => {
  it('gives the market’s step, minimum and maximum in the base asset', async () => {
    const { adapter } = await offline('okx', okxMarkets(), okxAccepted);
    expect(adapter.market('BTC/USDT:USDT')).toMatchObject({ amountStep: 0.0001, minAmount: 0.0001, maxAmount: 1_000_000, maxMarketAmount: 1_000_000 });
    expect(adapter.market('DOGE/USDT:USDT')).toMatchObject({ amountStep: 1000, minAmount: 1000, maxAmount: 100_000_000 });
  });

  it('sends a base amount as contracts, rounded down to the contract step', async () => {
    const { adapter, requests } = await offline('okx', okxMarkets(), okxAccepted);
    const btc = await adapter.createOrder({ symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.0129, reduceOnly: false, clientOrderId: 'ckabc123e1' });
    expect(requests.at(-1)!.url.pathname).toBe('/api/v5/trade/batch-orders');
    expect(Object.fromEntries(requests.at(-1)!.params)).toMatchObject({ instId: 'BTC-USDT-SWAP', side: 'buy', ordType: 'market', sz: '1.29', clOrdId: 'ckabc123e1' });
    expect(btc.amount).toBe(0.0129);
    await adapter.createOrder({ symbol: 'DOGE/USDT:USDT', side: 'buy', type: 'market', amount: 12_345, reduceOnly: false, clientOrderId: 'ckabc123e2' });
    expect(requests.at(-1)!.params.get('sz')).toBe('12');
    expect(adapter.amountToPrecision('DOGE/USDT:USDT', 12_345)).toBe(12_000);
    expect(adapter.amountToPrecision('BTC/USDT:USDT', 0.01299)).toBe(0.0129);
    await adapter.createOrder({ symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.0007, reduceOnly: false, clientOrderId: 'ckabc123e3' });
    expect(requests.at(-1)!.params.get('sz')).toBe('0.07');
  });

  it('sends the stop-loss for a base amount as contracts on the mark price, reduce-only', async () => {
    const { adapter, requests } = await offline('okx', okxMarkets(), okxAccepted);
    await adapter.createOrder({ symbol: 'BTC/USDT:USDT', side: 'sell', type: 'stop_market', amount: 0.0129, triggerPrice: 60123.44, triggerBy: 'mark', reduceOnly: true, clientOrderId: 'ckabc123sl1' });
    expect(requests.at(-1)!.url.pathname).toBe('/api/v5/trade/order-algo');
    expect(Object.fromEntries(requests.at(-1)!.params)).toMatchObject({ instId: 'BTC-USDT-SWAP', side: 'sell', ordType: 'conditional', sz: '1.29', slTriggerPx: '60123.4', slTriggerPxType: 'mark', reduceOnly: 'true' });
  });

  it('refuses a base amount under one contract instead of sending it', async () => {
    const { adapter, requests } = await offline('okx', okxMarkets(), okxAccepted);
    await expect(adapter.createOrder({ symbol: 'DOGE/USDT:USDT', side: 'buy', type: 'market', amount: 999, reduceOnly: false, clientOrderId: 'ckabc123e3' })).rejects.toBeInstanceOf(OrderRejectedError);
    expect(requests).toEqual([]);
  });

  it('reads positions and orders in contracts and gives them in the base asset', async () => {
    const { adapter } = await offline('okx', okxMarkets(), (req) => {
      if (req.url.pathname.endsWith('/account/positions')) {
        return {
          code: '0',
          msg: '',
          data: [
            { instId: 'BTC-USDT-SWAP', instType: 'SWAP', posSide: 'net', pos: '3', avgPx: '60000', markPx: '60100', notionalUsd: '1803', lever: '10', mgnMode: 'isolated', margin: '180', mmr: '7.2', liqPx: '54500', upl: '3', uplRatio: '0.0166', cTime: '1', uTime: '2' },
            { instId: 'DOGE-USDT-SWAP', instType: 'SWAP', posSide: 'net', pos: '-7', avgPx: '0.1', markPx: '0.1', notionalUsd: '700', lever: '5', mgnMode: 'cross', imr: '140', mmr: '7', liqPx: '0.2', upl: '0', uplRatio: '0', cTime: '1', uTime: '2' },
          ],
        };
      }
      if (req.url.pathname.endsWith('/trade/orders-pending')) {
        return { code: '0', msg: '', data: [{ instId: 'BTC-USDT-SWAP', instType: 'SWAP', ordId: '11', clOrdId: 'ckabc123e1', side: 'buy', ordType: 'limit', px: '59000', sz: '2', accFillSz: '1', avgPx: '59000', state: 'partially_filled', reduceOnly: 'false', cTime: '1', uTime: '2' }] };
      }
      return { code: '0', msg: '', data: [] };
    });
    const positions = await adapter.fetchPositions();
    expect(positions.map((p) => [p.symbol, p.side, p.contracts])).toEqual([
      ['BTC/USDT:USDT', 'long', 0.03],
      ['DOGE/USDT:USDT', 'short', 7000],
    ]);
    const [order] = await adapter.fetchOpenOrders('BTC/USDT:USDT');
    expect(order).toMatchObject({ clientOrderId: 'ckabc123e1', amount: 0.02, filled: 0.01, status: 'partially_filled' });
  });
});

describe('live trading starts only on a one-way account', () => {
  const markets = binanceMarkets();

  it('refuses to start on a Binance account in hedge mode, naming the fix', async () => {
    const { adapter, requests } = offlineUnloaded('binanceusdm', markets, () => ({}), 'hedge');
    const refusal = await adapter.loadMarkets().catch((e) => e);
    expect(refusal).toBeInstanceOf(AccountSetupError);
    expect(refusal.message).toMatch(/hedge mode.*switch the account to one-way mode/i);
    expect(requests.map((r) => [r.method, r.url.pathname])).toContainEqual(['GET', '/fapi/v1/positionSide/dual']);
  });

  it('starts on a one-way Binance account, and asks only once', async () => {
    const { adapter, requests } = offlineUnloaded('binanceusdm', markets, () => ({}), 'one-way');
    await adapter.loadMarkets();
    await adapter.loadMarkets();
    expect(requests.filter((r) => r.url.pathname === '/fapi/v1/positionSide/dual')).toHaveLength(1);
    expect(adapter.market('BTC/USDT:USDT').symbol).toBe('BTC/USDT:USDT');
  });

  it('refuses an OKX account in long/short (hedge) mode', async () => {
    const { adapter } = offlineUnloaded('okx', okxMarkets(), okxAccepted, 'hedge');
    await expect(adapter.loadMarkets()).rejects.toThrow(/okx account is in hedge mode/);
  });

  it('refuses a Bybit account whose positions say hedge mode (positionIdx 1 or 2), and starts on a one-way one', async () => {
    const bybitMarkets = fixture('markets/bybit.json');
    const riskLimits = () => ({ retCode: 0, retMsg: 'OK', result: { category: 'linear', list: [] }, time: 1 });
    await expect(offlineUnloaded('bybit', bybitMarkets, riskLimits, 'hedge').adapter.loadMarkets()).rejects.toThrow(/bybit account is in hedge mode/);
    const oneWay = offlineUnloaded('bybit', bybitMarkets, riskLimits, 'one-way');
    expect((await oneWay.adapter.loadMarkets()).map((m) => m.symbol)).toContain('BTC/USDT:USDT');
    expect(oneWay.requests.map((r) => r.url.pathname)).toContain('/v5/position/list');
  });

  describe('on Bybit, where only positions tell the mode', () => {
    const bybitMarkets = fixture('markets/bybit.json');
    const riskLimits = () => ({ retCode: 0, retMsg: 'OK', result: { category: 'linear', list: [] }, time: 1 });
    const asked = (requests: Captured[]) => requests.filter((r) => r.url.pathname === '/v5/position/list').length;

    it('leaves an account with no position unconfirmed and asks again on the next start, until a position shows one-way', async () => {
      let mode: PositionMode = 'no position';
      const { adapter, requests } = offlineUnloaded('bybit', bybitMarkets, riskLimits, () => mode);
      await adapter.loadMarkets();
      await adapter.loadMarkets();
      expect(asked(requests)).toBe(2);
      mode = 'one-way';
      await adapter.loadMarkets();
      await adapter.loadMarkets();
      expect(asked(requests)).toBe(3);
    });

    it('refuses to start once an account that showed no position shows a hedge-mode one', async () => {
      let mode: PositionMode = 'no position';
      const { adapter } = offlineUnloaded('bybit', bybitMarkets, riskLimits, () => mode);
      await adapter.loadMarkets();
      mode = 'hedge';
      await expect(adapter.loadMarkets()).rejects.toThrow(/bybit account is in hedge mode/);
    });

    it('refuses a positions read that finds a hedge-mode position after the start, naming the fix, and checks again on the next start', async () => {
      let mode: PositionMode = 'one-way';
      const { adapter, requests } = offlineUnloaded('bybit', bybitMarkets, riskLimits, () => mode);
      await adapter.loadMarkets();
      expect(await adapter.fetchPositions()).toHaveLength(1);
      mode = 'hedge';
      const refusal = await adapter.fetchPositions().catch((e) => e);
      expect(refusal).toBeInstanceOf(AccountSetupError);
      expect(refusal.message).toMatch(/bybit account is in hedge mode \(its BTC\/USDT:USDT position has positionIdx 1.*switch the account to one-way mode/i);
      const before = asked(requests);
      await expect(adapter.loadMarkets()).rejects.toBeInstanceOf(AccountSetupError);
      expect(asked(requests)).toBe(before + 1);
    });

    it('reports a hedge-mode position on the position stream as the stream’s problem, and sends no positions from it', async () => {
      const { adapter } = offlineUnloaded('bybit', bybitMarkets, riskLimits, 'no position');
      await adapter.loadMarkets();
      let updates = 0;
      adapter.exchange.watchPositions = (async () => {
        if (updates++ > 0) return new Promise(() => undefined);
        return [{ symbol: 'BTC/USDT:USDT', side: 'long', contracts: 0.01, entryPrice: 60_000, notional: 600, info: { positionIdx: 2 } }];
      }) as unknown as CcxtExchange['watchPositions'];
      for (const watch of ['watchOrders', 'watchMyTrades', 'watchBalance'] as const) adapter.exchange[watch] = (() => new Promise(() => undefined)) as never;
      const events: ExchangeStreamEvent[] = [];
      const stop = adapter.subscribe({ symbols: [], timeframes: [] }, (event) => events.push(event));
      await vi.waitFor(
        () => expect(events).toContainEqual({ type: 'connection', state: 'reconnecting', detail: expect.stringMatching(/^positions: The bybit account is in hedge mode \(its BTC\/USDT:USDT position has positionIdx 2/) }),
        { timeout: 20_000, interval: 5 },
      );
      stop();
      expect(events.filter((e) => e.type === 'positions')).toEqual([]);
    });
  });

  it('does not ask without keys: public market data has no account', async () => {
    const exchange = createCcxtExchange({ exchange: 'binanceusdm', credentials: null, exchangeUrl: 'http://127.0.0.1:9' });
    exchange.setMarkets(markets);
    const paths: string[] = [];
    exchange.fetch = (async (url: string) => {
      paths.push(new URL(url).pathname);
      return { dualSidePosition: true };
    }) as CcxtExchange['fetch'];
    await createCcxtAdapter({ exchange: 'binanceusdm', credentials: null }, exchange).loadMarkets();
    expect(paths).not.toContain('/fapi/v1/positionSide/dual');
  });
});

describe('the practice account the keys are for', () => {
  const keys = { apiKey: 'k'.repeat(16), apiSecret: 's'.repeat(16), password: 'p'.repeat(8) };
  /** A private balance endpoint of each exchange, as ccxt names it. */
  const PRIVATE_CALL = { binanceusdm: ['account', 'fapiPrivateV2'], bybit: ['v5/account/wallet-balance', 'private'], okx: ['account/balance', 'private'] } as const;
  const signedUrl = (exchange: CcxtExchange, id: keyof typeof PRIVATE_CALL) => new URL(exchange.sign(PRIVATE_CALL[id][0], PRIVATE_CALL[id][1], 'GET', {}).url);

  it.each([
    ['binanceusdm', {}, 'fapi.binance.com'],
    ['binanceusdm', { demo: true }, 'demo-fapi.binance.com'],
    ['bybit', {}, 'api.bybit.com'],
    ['bybit', { testnet: true }, 'api-testnet.bybit.com'],
    ['bybit', { demo: true }, 'api-demo.bybit.com'],
    ['okx', {}, 'www.okx.com'],
  ] as const)('signs %s private calls %o for %s', (id, practice, host) => {
    const exchange = createCcxtExchange({ exchange: id, credentials: keys, ...practice });
    expect(signedUrl(exchange, id).host).toBe(host);
  });

  it('sends OKX demo trading to the same site with the simulated-trading header, and its streams to the demo servers', () => {
    const real = createCcxtExchange({ exchange: 'okx', credentials: keys });
    const demo = createCcxtExchange({ exchange: 'okx', credentials: keys, demo: true });
    expect(real.headers?.['x-simulated-trading']).toBeUndefined();
    expect(demo.headers?.['x-simulated-trading']).toBe('1');
    expect(signedUrl(demo, 'okx').host).toBe('www.okx.com');
    expect(String((demo.urls['api'] as any).ws)).toContain('wspap.okx.com');
  });

  it('refuses the Binance futures testnet, which ccxt no longer serves, pointing to demo trading', () => {
    expect(() => createCcxtExchange({ exchange: 'binanceusdm', credentials: keys, testnet: true })).toThrow('binanceusdm has no futures testnet the cockpit can use: choose demo trading instead');
  });

  it('refuses keys meant for the testnet and demo trading at once', () => {
    expect(() => createCcxtExchange({ exchange: 'bybit', credentials: keys, testnet: true, demo: true })).toThrow(/not both/);
  });

  it('lets --exchange-url win over the practice account (the local venue)', () => {
    const exchange = createCcxtExchange({ exchange: 'binanceusdm', credentials: keys, demo: true, exchangeUrl: 'http://127.0.0.1:4321' });
    expect(signedUrl(exchange, 'binanceusdm').origin).toBe('http://127.0.0.1:4321');
  });
});

describe('pointing an exchange at one base URL', () => {
  function allUrls(tree: unknown, out: string[] = []): string[] {
    if (typeof tree === 'string') out.push(tree);
    else if (tree && typeof tree === 'object') for (const v of Object.values(tree)) allUrls(v, out);
    return out;
  }

  it.each(['binanceusdm', 'bybit', 'okx'] as const)('sends every %s REST and WebSocket URL to the venue', (id) => {
    const exchange = createCcxtExchange({ exchange: id, credentials: null, exchangeUrl: 'http://127.0.0.1:4321' });
    const urls = allUrls(exchange.urls['api']);
    expect(urls.length).toBeGreaterThan(1);
    for (const url of urls) expect(url).toMatch(/^(http|ws):\/\/127\.0\.0\.1:4321(\/|$)/);
  });

  it('keeps the paths ccxt builds on: fapi for REST, /ws for the futures streams', () => {
    const exchange = createCcxtExchange({ exchange: 'binanceusdm', credentials: null, exchangeUrl: 'http://127.0.0.1:4321' });
    const api = exchange.urls['api'] as any;
    expect(api.fapiPrivate).toBe('http://127.0.0.1:4321/fapi/v1');
    expect(api.fapiPublicV3).toBe('http://127.0.0.1:4321/fapi/v3');
    expect(api.ws.future).toBe('ws://127.0.0.1:4321/ws');
  });
});

describe('the websocket futures of a ccxt exchange the cockpit builds', () => {
  it('reject quietly when nobody awaits them, and still reject for whoever does', async () => {
    const exchange = createCcxtExchange({ exchange: 'binanceusdm', credentials: null, exchangeUrl: 'http://127.0.0.1:9' });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = (exchange as any).client('ws://127.0.0.1:9/ws');
      const awaited = client.future('awaited');
      client.future('nobody-awaits');
      const closedWhileConnecting = new ccxt.NetworkError('WebSocket was closed before the connection was established');
      client.reject(closedWhileConnecting);
      await expect(awaited).rejects.toBe(closedWhileConnecting);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

