import ccxt from 'ccxt';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCcxtExchange } from './ccxt-adapter';
import { ccxtCall, fromCcxtError, parseRetryAfter } from './ccxt-errors';
import { DuplicateClientOrderIdError, OrderRejectedError, RateLimitBanError, RateLimitExceededError } from './errors';
import { withRetry } from './retry';

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A Binance stand-in that gives the scripted answers in turn (the last one repeats), counting requests. */
async function binanceAnswering(...answers: Answer[]) {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    const answer = answers[Math.min(requests, answers.length - 1)]!;
    requests += 1;
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const exchange = createCcxtExchange({
    exchange: 'binanceusdm',
    credentials: null,
    exchangeUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    enableRateLimit: false,
    timeoutMs: 2_000,
  });
  return { exchange, requests: () => requests };
}

const tooMany = { code: -1003, msg: 'Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute.' };
const banned = (until: number) => ({ code: -1003, msg: `Way too many requests; IP(127.0.0.1) banned until ${until}. Please use the websocket for live updates to avoid bans.` });
const serverTime = { serverTime: 1_700_000_000_000 };

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('rate limits from the exchange', () => {
  it('a 429 is a rate-limit error that carries the Retry-After the exchange sent', async () => {
    const venue = await binanceAnswering({ status: 429, headers: { 'Retry-After': '3' }, body: tooMany });
    const error = await failure(() => ccxtCall(() => venue.exchange.fetchTime()));
    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect((error as RateLimitExceededError).retryAfterMs).toBe(3_000);
    expect((error as Error).message).toMatch(/^Rate limit exceeded \(HTTP 429\), the exchange asks to wait 3 s/);
  });

  it('a 429 is retried no sooner than its Retry-After', async () => {
    const venue = await binanceAnswering({ status: 429, headers: { 'Retry-After': '1' }, body: tooMany }, { status: 200, body: serverTime });
    const waits: number[] = [];
    const time = await withRetry(() => ccxtCall(() => venue.exchange.fetchTime()), { sleep: async (ms) => void waits.push(ms), random: () => 0 });
    expect(time).toBe(serverTime.serverTime);
    expect(waits).toEqual([1_000]);
    expect(venue.requests()).toBe(2);
  });

  it('a 429 asking for longer than the engine waits ends the retries at once, saying how long', async () => {
    const venue = await binanceAnswering({ status: 429, headers: { 'Retry-After': '30' }, body: tooMany });
    const waits: number[] = [];
    const error = await failure(() => withRetry(() => ccxtCall(() => venue.exchange.fetchTime()), { sleep: async (ms) => void waits.push(ms) }));
    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect((error as Error).message).toContain('asks to wait 30 s');
    expect(waits).toEqual([]);
    expect(venue.requests()).toBe(1);
  });

  it('a 418 is an IP ban: never retried, and the error says how long it lasts', async () => {
    const venue = await binanceAnswering({ status: 418, headers: { 'Retry-After': '120' }, body: banned(Date.now() + 120_000) });
    const error = await failure(() => withRetry(() => ccxtCall(() => venue.exchange.fetchTime()), { sleep: async () => {} }));
    expect(error).toBeInstanceOf(RateLimitBanError);
    expect(error).not.toBeInstanceOf(RateLimitExceededError);
    expect((error as RateLimitBanError).retryAfterMs).toBe(120_000);
    expect((error as Error).message).toMatch(/^IP banned by the exchange for too many requests \(HTTP 418\), for 120 s; nothing is retried/);
    expect(venue.requests()).toBe(1);
  });

  it('a 418 without Retry-After takes the ban end from Binance\'s message, or says it is not known', async () => {
    const told = await binanceAnswering({ status: 418, body: banned(Date.now() + 60_000) });
    const error = await failure(() => ccxtCall(() => told.exchange.fetchTime()));
    expect(error).toBeInstanceOf(RateLimitBanError);
    expect((error as Error).message).toMatch(/HTTP 418\), for (59|60) s/);

    const silent = await binanceAnswering({ status: 418, body: { code: -1003, msg: 'Way too many requests.' } });
    const unknown = await failure(() => ccxtCall(() => silent.exchange.fetchTime()));
    expect(unknown).toBeInstanceOf(RateLimitBanError);
    expect((unknown as RateLimitBanError).retryAfterMs).toBeNull();
    expect((unknown as Error).message).toContain('the exchange did not say for how long');
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(30_000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

/** The error ccxt raises for one exchange answer, through that exchange's own error handling. */
function ccxtErrorFor(exchange: 'binanceusdm' | 'okx' | 'bybit', status: number, body: unknown): unknown {
  const instance = new ccxt[exchange]() as unknown as { handleErrors: (...args: unknown[]) => unknown };
  try {
    instance.handleErrors(status, '', 'https://example.com/order', 'POST', {}, JSON.stringify(body), body, {}, '');
  } catch (error) {
    return error;
  }
  throw new Error(`ccxt raised nothing for ${JSON.stringify(body)}`);
}

describe('an order refused for a client order id the exchange already holds', () => {
  const bybit = (retCode: number, retMsg: string) => ({ retCode, retMsg, result: {}, retExtInfo: {}, time: 1_700_000_000_000 });
  it.each([
    ['binanceusdm', 400, { code: -4116, msg: 'ClientOrderId is duplicated.' }, '-4116'],
    ['okx', 200, { code: '1', data: [{ clOrdId: 'ckabcSL1', ordId: '', sCode: '51016', sMsg: 'Duplicated clOrdId', tag: '' }], msg: 'All operations failed' }, '51016'],
    ['bybit', 200, bybit(110072, 'OrderLinkedID is duplicate'), '110072'],
    ['bybit', 200, bybit(10014, 'Request is duplicate'), '10014'],
  ] as const)('%s %s: already placed, not rejected', (exchange, status, body, code) => {
    const error = fromCcxtError(ccxtErrorFor(exchange, status, body), { creatingOrder: true });
    expect(error).toBeInstanceOf(DuplicateClientOrderIdError);
    expect(error).not.toBeInstanceOf(OrderRejectedError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(/^The exchange already holds an order with this client order id/);
  });

  it('is read so only for an order placement, and only with that exchange\'s own code', () => {
    expect(fromCcxtError(ccxtErrorFor('okx', 200, { code: '1', data: [{ sCode: '51016', sMsg: 'Duplicated clOrdId' }], msg: '' }))).not.toBeInstanceOf(DuplicateClientOrderIdError);
    const elsewhere = fromCcxtError(ccxtErrorFor('okx', 200, { code: '1', data: [{ sCode: '10014', sMsg: 'x' }], msg: '' }), { creatingOrder: true });
    expect(elsewhere).not.toBeInstanceOf(DuplicateClientOrderIdError);
  });

  it("keeps OKX's specific sCode as the error's code, not its generic code 1", () => {
    const error = fromCcxtError(ccxtErrorFor('okx', 200, { code: '1', data: [{ sCode: '51008', sMsg: 'Order failed. Insufficient margin' }], msg: '' }));
    expect(error).toMatchObject({ code: '51008' });
  });
});
