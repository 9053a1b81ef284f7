import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import type { ExchangeAdapter, OrderRequest } from './adapter';
import { AmbiguousOrderError, OrderRejectedError, RateLimitBanError, RateLimitExceededError, TemporaryExchangeError } from './errors';
import { backoffDelay, DEFAULT_RETRY, sendOrder, withRetry } from './retry';

const noSleep = async () => {};

describe('withRetry', () => {
  it('retries temporary errors until the call succeeds', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw new TemporaryExchangeError('503');
      return 'done';
    }, { sleep: noSleep });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('never retries a rejection', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new OrderRejectedError('-2022 ReduceOnly Order is rejected');
      }, { sleep: noSleep }),
    ).rejects.toBeInstanceOf(OrderRejectedError);
    expect(calls).toBe(1);
  });

  it('gives up after the policy attempts with the last temporary error', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new TemporaryExchangeError(`429 #${calls}`);
      }, { sleep: noSleep, policy: { attempts: 4, baseDelayMs: 1, maxDelayMs: 1 } }),
    ).rejects.toThrow('429 #4');
    expect(calls).toBe(4);
  });

  it('stops at once when the guard before an attempt throws (a revoked lease)', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new TemporaryExchangeError('503');
      }, { sleep: noSleep, beforeAttempt: (n) => { if (n === 2) throw new Error('pre-empted'); } }),
    ).rejects.toThrow('pre-empted');
    expect(calls).toBe(1);
  });

  it('backs off exponentially up to the cap', () => {
    const policy = { attempts: 9, baseDelayMs: 100, maxDelayMs: 500 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 1))).toEqual([100, 200, 400, 500]);
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
  });
});

describe('withRetry under rate limits', () => {
  /** Fails with each error in turn, then answers; records the waits between tries. */
  function failingWith(...errors: Error[]) {
    const waits: number[] = [];
    let calls = 0;
    const run = (policy = DEFAULT_RETRY) =>
      withRetry(async () => {
        calls += 1;
        const error = errors.shift();
        if (error) throw error;
        return 'done';
      }, { policy, sleep: async (ms) => void waits.push(ms), random: () => 0 });
    return { run, waits, calls: () => calls };
  }

  it("waits out a 429's Retry-After when it is longer than the backoff", async () => {
    const call = failingWith(new RateLimitExceededError('429', '-1003', 1_500));
    await expect(call.run()).resolves.toBe('done');
    expect(call.waits).toEqual([1_500]);
  });

  it('keeps the backoff when the Retry-After is shorter', async () => {
    const call = failingWith(new RateLimitExceededError('429', '-1003', 0), new RateLimitExceededError('429', '-1003', 10));
    await call.run({ attempts: 6, baseDelayMs: 100, maxDelayMs: 400 });
    expect(call.waits).toEqual([50, 100]);
  });

  it('ends the retries at once when the Retry-After is past the bound, with the exchange\'s error', async () => {
    const call = failingWith(new RateLimitExceededError('429: wait 30 s', '-1003', 30_000));
    await expect(call.run()).rejects.toThrow('429: wait 30 s');
    expect(call.calls()).toBe(1);
    expect(call.waits).toEqual([]);
  });

  it('the bound is the policy\'s: a longer one waits a longer Retry-After', async () => {
    const call = failingWith(new RateLimitExceededError('429', '-1003', 30_000));
    await call.run({ ...DEFAULT_RETRY, maxRetryAfterMs: 60_000 });
    expect(call.waits).toEqual([30_000]);
  });

  it('never retries an IP ban (418)', async () => {
    const call = failingWith(new RateLimitBanError('418 banned for 120 s', '-1003', 120_000));
    await expect(call.run()).rejects.toBeInstanceOf(RateLimitBanError);
    expect(call.calls()).toBe(1);
  });
});

/**
 * An exchange that fills every market order it accepts, as Binance does even
 * under a client id it has seen (ids are unique among open orders only), and
 * loses the answer or refuses the request as scripted.
 */
function lossyExchange(failures: Array<'ambiguous' | 'temporary'>) {
  const placed: Order[] = [];
  let sends = 0;
  const adapter = {
    async createOrder(request: OrderRequest): Promise<Order> {
      sends += 1;
      const failure = failures.shift();
      if (failure === 'temporary') throw new TemporaryExchangeError('429 Too many requests');
      const order = { id: String(placed.length + 1), clientOrderId: request.clientOrderId, symbol: request.symbol, status: 'filled' } as Order;
      placed.push(order);
      if (failure === 'ambiguous') throw new AmbiguousOrderError('timeout after accept');
      return order;
    },
    async fetchOrderByClientId(_symbol: string, id: string): Promise<Order | null> {
      return placed.findLast((o) => o.clientOrderId === id) ?? null;
    },
  } as unknown as ExchangeAdapter;
  return { adapter, placed, sends: () => sends };
}

const request: OrderRequest = { symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.01, reduceOnly: false, clientOrderId: 'ck-a1-e-1' };

describe('sendOrder', () => {
  it('resolves a timeout-after-accept by the client id instead of sending again', async () => {
    const ex = lossyExchange(['ambiguous']);
    const order = await sendOrder(ex.adapter, request, { sleep: noSleep });
    expect(order.clientOrderId).toBe('ck-a1-e-1');
    expect(ex.sends()).toBe(1);
    expect(ex.placed.length).toBe(1);
  });

  it('resends with the same client id when the look-up finds nothing', async () => {
    const ex = lossyExchange(['temporary', 'temporary']);
    const seen: number[] = [];
    const order = await sendOrder(ex.adapter, request, { sleep: noSleep, beforeSend: (_r, attempt) => seen.push(attempt) });
    expect(order.clientOrderId).toBe('ck-a1-e-1');
    expect(ex.sends()).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(ex.placed.length).toBe(1);
  });
});

describe('sendOrder when the tries run out', () => {
  it('still finds an order the exchange accepted instead of reporting it failed', async () => {
    const ex = lossyExchange(['ambiguous']);
    let flakyLookups = 1;
    const lookUp = ex.adapter.fetchOrderByClientId.bind(ex.adapter);
    ex.adapter.fetchOrderByClientId = async (symbol, id) => {
      if (flakyLookups-- > 0) throw new TemporaryExchangeError('502 Bad Gateway');
      return lookUp(symbol, id);
    };
    const order = await sendOrder(ex.adapter, request, { sleep: noSleep, policy: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(order.clientOrderId).toBe('ck-a1-e-1');
    expect(ex.sends()).toBe(1);
  });

  it('reports the last failure when nothing was accepted', async () => {
    const ex = lossyExchange(['temporary', 'temporary']);
    await expect(sendOrder(ex.adapter, request, { sleep: noSleep, policy: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } })).rejects.toThrow('429');
    expect(ex.placed.length).toBe(0);
  });
});
