import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import type { ExchangeAdapter, OrderRequest } from './adapter';
import { AmbiguousOrderError, DuplicateClientOrderIdError, OrderRejectedError, RateLimitBanError, RateLimitExceededError, TemporaryExchangeError } from './errors';
import { backoffDelay, DEFAULT_RETRY, sendOrder, withRetry, type SendOrderOptions } from './retry';

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

/** What becomes of one send. */
type Fate =
  /** Taken and answered. */
  | 'answered'
  /** Taken, and the answer lost (a timeout after accept). */
  | 'lost'
  /** Still travelling when the answer is lost; it reaches the exchange right after the next look-up has answered. */
  | 'lands after the next look-up'
  /** Still travelling when the answer is lost; it reaches the exchange this long after it was sent, if it is still valid then. */
  | { arrivesAfterMs: number }
  /** Refused before the exchange takes it. */
  | Error;

const LIFETIME_MS = 11_000;

/**
 * An exchange as Binance behaves, on a clock the test moves: a client order id is unique among
 * open orders only (-4116), a market order fills at once and so frees its id, a stop rests open,
 * and a request reaching it more than its lifetime after it was sent is refused unseen. Each send
 * meets the next scripted fate; sends beyond the script are answered.
 */
function binanceLike(...fates: Fate[]) {
  let clock = 1_000_000;
  const orders: Order[] = [];
  const travelling: Array<{ request: OrderRequest; at: number; sentAt: number }> = [];
  const landAfterLookUp: OrderRequest[] = [];
  const log: string[] = [];
  let sends = 0;

  const take = (request: OrderRequest): Order => {
    if (orders.some((o) => o.clientOrderId === request.clientOrderId && o.status === 'open')) throw new DuplicateClientOrderIdError('ClientOrderId is duplicated.', '-4116');
    const fills = request.type === 'market';
    const order = { id: String(orders.length + 1), clientOrderId: request.clientOrderId, symbol: request.symbol, type: request.type, status: fills ? 'filled' : 'open', filled: fills ? request.amount : 0 } as Order;
    orders.push(order);
    log.push(`took #${order.id}`);
    return order;
  };
  const arrive = () => {
    for (const t of travelling.filter((t) => t.at <= clock)) {
      travelling.splice(travelling.indexOf(t), 1);
      if (t.at - t.sentAt > LIFETIME_MS) log.push('refused a request past its lifetime');
      else {
        try {
          take(t.request);
        } catch {
          log.push('refused a late duplicate');
        }
      }
    }
  };

  const adapter = {
    capabilities: { requestLifetimeMs: LIFETIME_MS },
    async createOrder(request: OrderRequest): Promise<Order> {
      arrive();
      sends += 1;
      log.push(`send ${sends}`);
      const fate = fates.shift() ?? 'answered';
      if (fate instanceof Error) throw fate;
      if (fate === 'answered') return take(request);
      if (fate === 'lost') take(request);
      else if (fate === 'lands after the next look-up') landAfterLookUp.push(request);
      else travelling.push({ request, at: clock + fate.arrivesAfterMs, sentAt: clock });
      throw new AmbiguousOrderError('Request timed out after it was sent');
    },
    async fetchOrderByClientId(_symbol: string, id: string): Promise<Order | null> {
      arrive();
      log.push('look-up');
      const found = orders.findLast((o) => o.clientOrderId === id) ?? null;
      for (const request of landAfterLookUp.splice(0)) take(request);
      return found;
    },
  } as unknown as ExchangeAdapter;

  const waits: number[] = [];
  const options: SendOrderOptions = {
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    random: () => 0,
  };
  return {
    adapter,
    options,
    waits,
    log,
    sends: () => sends,
    fills: () => orders.filter((o) => o.status === 'filled').length,
    placed: (id: string) => orders.filter((o) => o.clientOrderId === id),
    /** Lets every request still travelling reach the exchange (or expire). */
    later() {
      clock += 60_000;
      arrive();
    },
  };
}

const entry: OrderRequest = { symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.01, reduceOnly: false, clientOrderId: 'ck-a1-e-1' };
const stop: OrderRequest = { symbol: 'BTC/USDT:USDT', side: 'sell', type: 'stop_market', amount: 0.01, triggerPrice: 58_000, triggerBy: 'mark', reduceOnly: true, clientOrderId: 'ck-a1-sl-1' };
const close: OrderRequest = { ...entry, side: 'sell', reduceOnly: true, clientOrderId: 'ck-a1-x-1' };
const tooMany = (retryAfterMs: number) => new RateLimitExceededError(`Rate limit exceeded (HTTP 429), the exchange asks to wait ${retryAfterMs / 1000} s`, '-1003', retryAfterMs);

describe('sendOrder', () => {
  it('resolves a timeout-after-accept by the client id instead of sending again', async () => {
    const ex = binanceLike('lost');
    const order = await sendOrder(ex.adapter, entry, ex.options);
    expect(order.clientOrderId).toBe('ck-a1-e-1');
    expect(ex.sends()).toBe(1);
    expect(ex.fills()).toBe(1);
  });

  it('resends with the same client id when the look-up finds nothing after a refusal', async () => {
    const ex = binanceLike(new TemporaryExchangeError('503 Service Unavailable'), new TemporaryExchangeError('503 Service Unavailable'));
    const seen: number[] = [];
    const order = await sendOrder(ex.adapter, entry, { ...ex.options, beforeSend: (_r, attempt) => seen.push(attempt) });
    expect(order.clientOrderId).toBe('ck-a1-e-1');
    expect(seen).toEqual([1, 2, 3]);
    expect(ex.fills()).toBe(1);
  });
});

describe('sendOrder when the first try lands late', () => {
  it('a stop whose first try lands after the look-up is placed once: the resend refused as a duplicate returns the stop already there', async () => {
    const ex = binanceLike('lands after the next look-up');
    const order = await sendOrder(ex.adapter, stop, ex.options);
    expect(order).toMatchObject({ clientOrderId: 'ck-a1-sl-1', status: 'open' });
    expect(ex.sends(), 'sent again at once: a stop is not held back').toBe(2);
    expect(ex.waits.every((ms) => ms < LIFETIME_MS)).toBe(true);
    ex.later();
    expect(ex.placed('ck-a1-sl-1')).toHaveLength(1);
  });

  it('an entry whose first try lands after the look-up ends with exactly one fill: it is not sent again until the first can no longer be taken', async () => {
    const ex = binanceLike('lands after the next look-up');
    const order = await sendOrder(ex.adapter, entry, ex.options);
    ex.later();
    expect(order).toMatchObject({ clientOrderId: 'ck-a1-e-1', status: 'filled' });
    expect(ex.sends()).toBe(1);
    expect(ex.fills()).toBe(1);
  });

  it("an entry still travelling when its answer is lost is found once its lifetime is over, timed from the lost answer", async () => {
    const ex = binanceLike({ arrivesAfterMs: 9_000 });
    const settled: number[] = [];
    const order = await sendOrder(ex.adapter, entry, { ...ex.options, beforeSettle: (ms) => settled.push(ms) });
    ex.later();
    expect(order.status).toBe('filled');
    expect(ex.sends()).toBe(1);
    expect(ex.fills()).toBe(1);
    expect(ex.waits.reduce((a, b) => a + b, 0), 'the backoff and the rest of the lifetime').toBe(LIFETIME_MS);
    expect(settled).toHaveLength(1);
  });

  it('an entry that never reaches the exchange is not sent again that late: it is refused as not placed, and nothing fills', async () => {
    const ex = binanceLike({ arrivesAfterMs: 20_000 });
    await expect(sendOrder(ex.adapter, entry, ex.options)).rejects.toThrow(/was not placed: its answer was lost.*propose it again/);
    ex.later();
    expect(ex.sends()).toBe(1);
    expect(ex.fills()).toBe(0);
    expect(ex.log).toContain('refused a request past its lifetime');
  });

  it('a reduce-only close is sent again at once: two reduce-only closes cannot open a position, a late close keeps the risk on', async () => {
    const ex = binanceLike({ arrivesAfterMs: 20_000 });
    await sendOrder(ex.adapter, close, ex.options);
    expect(ex.sends()).toBe(2);
    expect(Math.max(...ex.waits)).toBeLessThan(LIFETIME_MS);
  });

  it('the wait for a lost send counts as in flight (a lease stays busy), the pauses between tries do not', async () => {
    const ex = binanceLike({ arrivesAfterMs: 9_000 });
    const tracked: string[] = [];
    const sleep = ex.options.sleep!;
    await sendOrder(ex.adapter, entry, {
      ...ex.options,
      sleep: async (ms) => {
        tracked.push(`sleep ${ms}${inFlight ? ' (in flight)' : ''}`);
        await sleep(ms);
      },
      track: async (request) => {
        inFlight += 1;
        try {
          return await request();
        } finally {
          inFlight -= 1;
        }
      },
    });
    expect(tracked).toEqual(['sleep 25', `sleep ${LIFETIME_MS - 25} (in flight)`]);
  });
  let inFlight = 0;
});

describe('sendOrder when the exchange already holds the client id', () => {
  it('a resend refused as a duplicate (-4116) returns the order already placed, and sends nothing more', async () => {
    const ex = binanceLike('lands after the next look-up');
    const order = await sendOrder(ex.adapter, stop, ex.options);
    expect(order.id).toBe('1');
    expect(ex.log).toEqual(['send 1', 'look-up', 'took #1', 'send 2', 'look-up']);
  });

  it('looks again with backoff while the exchange does not show it yet, then fails clearly without sending again', async () => {
    const ex = binanceLike(new DuplicateClientOrderIdError('ClientOrderId is duplicated.', '-4116'));
    const lookUp = ex.adapter.fetchOrderByClientId.bind(ex.adapter);
    let hidden = 2;
    ex.adapter.fetchOrderByClientId = async (symbol, id) => (hidden-- > 0 ? null : { ...(await lookUp(symbol, id)), id: 'seen late', clientOrderId: id } as Order);
    await expect(sendOrder(ex.adapter, stop, ex.options)).resolves.toMatchObject({ id: 'seen late' });
    expect(ex.waits).toEqual([25, 50]);

    const never = binanceLike(new DuplicateClientOrderIdError('ClientOrderId is duplicated.', '-4116'));
    await expect(sendOrder(never.adapter, stop, never.options)).rejects.toThrow(/refused ck-a1-sl-1 as already placed, but looking it up by its client order id failed \(not found\): check the order on the exchange/);
    expect(never.sends()).toBe(1);
    expect(never.log.filter((l) => l === 'look-up')).toHaveLength(DEFAULT_RETRY.attempts);
  });
});

describe('sendOrder under a long Retry-After', () => {
  it('a stop waits out a Retry-After far past the short bound, then is placed', async () => {
    const ex = binanceLike(tooMany(30_000));
    const order = await sendOrder(ex.adapter, stop, ex.options);
    expect(order.status).toBe('open');
    expect(ex.waits).toEqual([30_000]);
  });

  it('a close waits too, up to the long bound (60 s by default), which the policy sets', async () => {
    const ex = binanceLike(tooMany(60_000));
    await expect(sendOrder(ex.adapter, close, ex.options)).resolves.toMatchObject({ status: 'filled' });
    const past = binanceLike(tooMany(61_000));
    await expect(sendOrder(past.adapter, close, past.options)).rejects.toThrow(/asks to wait 61 s/);
    expect(past.sends()).toBe(1);
    const shorter = binanceLike(tooMany(20_000));
    await expect(sendOrder(shorter.adapter, close, { ...shorter.options, policy: { ...DEFAULT_RETRY, maxProtectiveRetryAfterMs: 10_000 } })).rejects.toThrow(/asks to wait 20 s/);
  });

  it('an entry gives up past the short bound, and says an entry sent that late would be a different trade', async () => {
    const ex = binanceLike(tooMany(30_000));
    const error = await sendOrder(ex.adapter, entry, ex.options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect((error as Error).message).toMatch(/^Entry ck-a1-e-1 not sent: the exchange asks to wait 30 s, and an entry waits at most 2 s; sent that late it would be a different trade/);
    expect(ex.sends()).toBe(1);
    expect(ex.waits).toEqual([]);
    expect(ex.log, 'nothing to look up: the 429 was refused unprocessed').not.toContain('look-up');
  });
});

describe('sendOrder when the tries run out', () => {
  it('still finds an order the exchange accepted instead of reporting it failed', async () => {
    const ex = binanceLike('lost');
    let flakyLookups = 1;
    const lookUp = ex.adapter.fetchOrderByClientId.bind(ex.adapter);
    ex.adapter.fetchOrderByClientId = async (symbol, id) => {
      if (flakyLookups-- > 0) throw new TemporaryExchangeError('502 Bad Gateway');
      return lookUp(symbol, id);
    };
    const order = await sendOrder(ex.adapter, entry, { ...ex.options, policy: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(order.clientOrderId).toBe('ck-a1-e-1');
    expect(ex.sends()).toBe(1);
  });

  it('reports the last failure when nothing was accepted', async () => {
    const ex = binanceLike(new TemporaryExchangeError('503 Service Unavailable'), new TemporaryExchangeError('503 Service Unavailable'));
    await expect(sendOrder(ex.adapter, entry, { ...ex.options, policy: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } })).rejects.toThrow('503');
    expect(ex.fills()).toBe(0);
  });

  it("after a 429 on the last try, the last look-up too waits out the Retry-After: no request reaches the exchange sooner than it asked", async () => {
    const ex = binanceLike(tooMany(1_000), tooMany(1_000));
    const requests: Array<{ at: number; what: string }> = [];
    const createOrder = ex.adapter.createOrder.bind(ex.adapter);
    const lookUp = ex.adapter.fetchOrderByClientId.bind(ex.adapter);
    ex.adapter.createOrder = async (request) => {
      requests.push({ at: ex.options.now!(), what: 'send' });
      return createOrder(request);
    };
    ex.adapter.fetchOrderByClientId = async (symbol, id) => {
      requests.push({ at: ex.options.now!(), what: 'look-up' });
      return lookUp(symbol, id);
    };
    await expect(sendOrder(ex.adapter, stop, { ...ex.options, policy: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } })).rejects.toBeInstanceOf(RateLimitExceededError);
    const start = requests[0]!.at;
    // Each 429 asks for 1 s: the look-up and resend after the first, and the last look-up after the second, come 1 s later.
    expect(requests.map((r) => `${r.what} +${r.at - start}`)).toEqual(['send +0', 'look-up +1000', 'send +1000', 'look-up +2000']);
  });

  it('a stop whose earlier answer was lost is still looked up after a Retry-After past the bound, and found once it landed', async () => {
    const ex = binanceLike({ arrivesAfterMs: 5_000 }, tooMany(120_000));
    const order = await sendOrder(ex.adapter, stop, ex.options);
    expect(order).toMatchObject({ clientOrderId: 'ck-a1-sl-1', status: 'open' });
    expect(ex.sends()).toBe(2);
    expect(ex.waits.at(-1), 'the Retry-After waited out before the last look-up').toBe(120_000);
    expect(ex.placed('ck-a1-sl-1')).toHaveLength(1);
  });

  it('an entry whose last answer was lost is looked up once more after its lifetime, so a late fill is not reported as failed', async () => {
    const ex = binanceLike({ arrivesAfterMs: 5_000 });
    const order = await sendOrder(ex.adapter, entry, { ...ex.options, policy: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(order.status).toBe('filled');
    expect(ex.sends()).toBe(1);
    expect(ex.waits).toEqual([LIFETIME_MS]);
  });
});
