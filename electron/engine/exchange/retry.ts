import type { Order } from '../../../shared/domain';
import type { ExchangeAdapter, OrderRequest } from './adapter';
import { AmbiguousOrderError, DuplicateClientOrderIdError, ExchangeError, OrderRejectedError, RateLimitExceededError, TemporaryExchangeError } from './errors';

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * The longest `Retry-After` a rate-limited (429) request waits out before its
   * next try (default {@link DEFAULT_MAX_RETRY_AFTER_MS}). When the exchange
   * asks for longer the retries end at once with its error: trying sooner would
   * risk an IP ban. New entries and reads keep to this bound.
   */
  maxRetryAfterMs?: number;
  /**
   * The same bound for an order that can only reduce a position (a stop-loss, a take-profit,
   * a close; default {@link DEFAULT_MAX_PROTECTIVE_RETRY_AFTER_MS}): late is better than never
   * for the order that protects or closes, so it waits much longer before giving up.
   */
  maxProtectiveRetryAfterMs?: number;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 2_000;
export const DEFAULT_MAX_PROTECTIVE_RETRY_AFTER_MS = 60_000;

/** Short enough that a stop is on the exchange well inside two seconds after a fill, even through a burst of 5xx. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 50, maxDelayMs: 400, maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS };

export interface RetryOptions {
  policy?: RetryPolicy;
  /** Runs before every try; throw to stop (e.g. `lease.assertHeld`). */
  beforeAttempt?: (attempt: number) => void;
  onRetry?: (error: TemporaryExchangeError, attempt: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The delay before try `attempt + 1`: exponential, capped, with jitter in its upper half. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** The exchange asks `error`'s request to wait longer than the policy waits. */
export function waitsTooLong(policy: RetryPolicy, error: TemporaryExchangeError): boolean {
  return error.retryAfterMs !== null && error.retryAfterMs > (policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
}

/**
 * The delay before try `attempt + 1` after `error`: the backoff, or the
 * exchange's `Retry-After` when that is longer; null when the exchange asks
 * for longer than the policy waits.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, error: TemporaryExchangeError, random: () => number = Math.random): number | null {
  const backoff = backoffDelay(policy, attempt, random);
  if (error.retryAfterMs === null) return backoff;
  if (waitsTooLong(policy, error)) return null;
  return Math.max(backoff, error.retryAfterMs);
}

/**
 * The one retry wrapper. Only {@link TemporaryExchangeError} is retried, with
 * backoff and never before the exchange's `Retry-After`; everything else, the
 * last temporary failure, and one whose `Retry-After` is past the policy's
 * bound, is thrown.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    options.beforeAttempt?.(attempt);
    try {
      return await operation(attempt);
    } catch (error) {
      if (!(error instanceof TemporaryExchangeError) || attempt >= policy.attempts) throw error;
      const delay = retryDelay(policy, attempt, error, options.random);
      if (delay === null) throw error;
      options.onRetry?.(error, attempt);
      await sleep(delay);
    }
  }
}

export interface SendOrderOptions extends RetryOptions {
  /** Runs right before each send, after any look-up: the place to journal the request. */
  beforeSend?: (request: OrderRequest, attempt: number) => void;
  /**
   * Runs before waiting out the lifetime of a send whose answer was lost (the adapter's
   * `capabilities.requestLifetimeMs`), with how long the wait is: the place to journal it.
   */
  beforeSettle?: (waitMs: number) => void;
  /**
   * Wraps every exchange request, and the wait for a lost send to expire (the send is as good
   * as in flight until then), but not the pauses between tries: e.g. `lease.track`.
   */
  track?: <T>(request: () => Promise<T>) => Promise<T>;
  /** The wall clock that times a send's lifetime (default Date.now). */
  now?: () => number;
}

/** An order that can only make a position smaller: a duplicate of it can never open or grow one. */
export function reducesOnly(request: Pick<OrderRequest, 'reduceOnly' | 'closePosition'>): boolean {
  return request.reduceOnly || request.closePosition === true;
}

/** The policy for one order: an order that only reduces waits out a longer `Retry-After`. */
function orderPolicy(policy: RetryPolicy, request: OrderRequest): RetryPolicy {
  if (!reducesOnly(request)) return policy;
  return { ...policy, maxRetryAfterMs: policy.maxProtectiveRetryAfterMs ?? DEFAULT_MAX_PROTECTIVE_RETRY_AFTER_MS };
}

const untracked = <T>(request: () => Promise<T>) => request();

/**
 * Sends one order with retries and never doubles it, the same client order id on every try.
 *
 * - After any temporary failure the order is looked up by its client order id before it is sent again.
 * - When the answer to a send was lost (a timeout, a 5xx: the exchange may have taken it, or may
 *   still take it), an order that can open or grow a position is never sent again: once that send's
 *   lifetime is over (the adapter's `capabilities.requestLifetimeMs`) one more look-up finds it, or it
 *   is refused as not placed (a market entry fills and frees its id, so a resend that met a late first
 *   try would be a second entry, and one sent that late would be a different trade). An order that only reduces is sent again at once: the exchange refuses a second
 *   stop or take-profit under the id of an open one, and two reduce-only closes cannot open anything,
 *   while a late stop leaves the position bare.
 * - An exchange that refuses a send for a client order id it already holds ({@link DuplicateClientOrderIdError})
 *   has the order: it is looked up (a few times, with backoff) and returned, and never sent again.
 * - When the tries run out after a send, one last look-up still finds an order the exchange
 *   accepted, so an order that exists is never reported as failed. After a 429 that look-up too
 *   waits out the `Retry-After`; past the bound it is skipped when every send met a 429 (refused
 *   unprocessed: there is nothing to find).
 * - An entry gives up on a `Retry-After` longer than {@link RetryPolicy.maxRetryAfterMs}; an
 *   order that only reduces waits up to {@link RetryPolicy.maxProtectiveRetryAfterMs}.
 */
export async function sendOrder(adapter: ExchangeAdapter, request: OrderRequest, options: SendOrderOptions = {}): Promise<Order> {
  const policy = orderPolicy(options.policy ?? DEFAULT_RETRY, request);
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const track = options.track ?? untracked;
  const opensRisk = !reducesOnly(request);
  const lookUp = () => track(() => adapter.fetchOrderByClientId(request.symbol, request.clientOrderId));
  /**
   * When the answer to the last send was lost. The request was signed before then, so the
   * exchange takes it, if at all, before this plus its lifetime.
   */
  let lostAt: number | null = null;
  /** A send failed other than by a 429 (which the exchange refuses unprocessed): it may hold the order. */
  let mayHaveLanded = false;
  let sent = false;
  let tries = 0;

  /**
   * Looks the order up; when it is not there and a lost send of an order that can open a position
   * may still land, waits until it can no longer be taken and looks once more.
   */
  const settle = async (): Promise<Order | null> => {
    const found = await lookUp();
    const wait = lostAt === null ? 0 : lostAt + adapter.capabilities.requestLifetimeMs - now();
    if (found || !opensRisk || wait <= 0) return found;
    lostAt = null;
    options.beforeSettle?.(wait);
    await track(() => sleep(wait));
    options.beforeAttempt?.(tries);
    const landed = await lookUp();
    if (landed) return landed;
    throw new OrderRejectedError(
      `${request.clientOrderId} was not placed: its answer was lost and it did not reach the exchange within its ${Math.ceil(adapter.capabilities.requestLifetimeMs / 1000)} s lifetime. It is not sent again that late (it would be a different trade): propose it again`,
      null,
    );
  };

  /** The order the exchange says it holds under this client order id, looked up until found; never sent again. */
  const alreadyPlaced = async (duplicate: DuplicateClientOrderIdError): Promise<Order> => {
    let missed = 'not found';
    for (let look = 1; look <= policy.attempts; look++) {
      let delay = backoffDelay(policy, look, options.random);
      try {
        const existing = await lookUp();
        if (existing) return existing;
      } catch (error) {
        if (!(error instanceof TemporaryExchangeError)) throw error;
        missed = error.message;
        const asked = retryDelay(policy, look, error, options.random);
        if (asked === null) break;
        delay = asked;
      }
      if (look < policy.attempts) {
        await sleep(delay);
        options.beforeAttempt?.(tries);
      }
    }
    throw new ExchangeError(
      `The exchange refused ${request.clientOrderId} as already placed, but looking it up by its client order id failed (${missed}): check the order on the exchange. ${duplicate.message}`,
      duplicate.code,
    );
  };

  try {
    return await withRetry(async (attempt) => {
      tries = attempt;
      if (attempt > 1) {
        const existing = await settle();
        if (existing) return existing;
      }
      options.beforeSend?.(request, attempt);
      sent = true;
      try {
        return await track(() => adapter.createOrder(request));
      } catch (error) {
        if (error instanceof DuplicateClientOrderIdError) return await alreadyPlaced(error);
        if (error instanceof AmbiguousOrderError) lostAt = now();
        if (!(error instanceof RateLimitExceededError)) mayHaveLanded = true;
        throw error;
      }
    }, { ...options, policy });
  } catch (error) {
    if (!sent || !(error instanceof TemporaryExchangeError)) throw error;
    if (error.retryAfterMs !== null) {
      if (waitsTooLong(policy, error) && !mayHaveLanded) throw opensRisk ? tooLateToEnter(request, policy, error) : error;
      await sleep(error.retryAfterMs);
    }
    options.beforeAttempt?.(tries + 1);
    const existing = await settle().catch((lookUpError: unknown) => {
      if (lookUpError instanceof ExchangeError) return null;
      throw lookUpError;
    });
    if (existing) return existing;
    throw opensRisk && waitsTooLong(policy, error) ? tooLateToEnter(request, policy, error) : error;
  }
}

function tooLateToEnter(request: OrderRequest, policy: RetryPolicy, error: TemporaryExchangeError): RateLimitExceededError {
  const asked = Math.ceil((error.retryAfterMs ?? 0) / 1000);
  const bound = (policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS) / 1000;
  return new RateLimitExceededError(
    `Entry ${request.clientOrderId} not sent: the exchange asks to wait ${asked} s, and an entry waits at most ${bound} s; sent that late it would be a different trade, so propose it again (${error.message})`,
    error.code,
    error.retryAfterMs,
  );
}
