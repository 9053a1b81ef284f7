import type { Order } from '../../../shared/domain';
import type { ExchangeAdapter, OrderRequest } from './adapter';
import { TemporaryExchangeError } from './errors';

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * The longest `Retry-After` a rate-limited (429) request waits out before its
   * next try (default {@link DEFAULT_MAX_RETRY_AFTER_MS}). When the exchange
   * asks for longer the retries end at once with its error: trying sooner would
   * risk an IP ban, and waiting longer would hold up the stop-loss and the flatten.
   */
  maxRetryAfterMs?: number;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 2_000;

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

/**
 * The delay before try `attempt + 1` after `error`: the backoff, or the
 * exchange's `Retry-After` when that is longer; null when the exchange asks
 * for longer than the policy waits.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, error: TemporaryExchangeError, random: () => number = Math.random): number | null {
  const backoff = backoffDelay(policy, attempt, random);
  if (error.retryAfterMs === null) return backoff;
  if (error.retryAfterMs > (policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS)) return null;
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
}

/**
 * Sends one order with retries and never doubles it: after any temporary
 * failure (a timeout after the exchange accepted included), the order is looked
 * up by its client order id before it is sent again, with the same id. When the
 * tries run out after a send, one last look-up still finds an order the
 * exchange accepted, so an order that exists is never reported as failed.
 */
export async function sendOrder(adapter: ExchangeAdapter, request: OrderRequest, options: SendOrderOptions = {}): Promise<Order> {
  const lookUp = () => adapter.fetchOrderByClientId(request.symbol, request.clientOrderId);
  let sent = false;
  let tries = 0;
  try {
    return await withRetry(async (attempt) => {
      tries = attempt;
      if (attempt > 1) {
        const existing = await lookUp();
        if (existing) return existing;
      }
      options.beforeSend?.(request, attempt);
      sent = true;
      return adapter.createOrder(request);
    }, options);
  } catch (error) {
    if (!sent || !(error instanceof TemporaryExchangeError)) throw error;
    options.beforeAttempt?.(tries + 1);
    const existing = await lookUp().catch(() => null);
    if (existing) return existing;
    throw error;
  }
}
