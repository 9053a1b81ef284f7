import ccxt from 'ccxt';
import {
  AmbiguousOrderError,
  AuthenticationError,
  DuplicateClientOrderIdError,
  ExchangeError,
  InsufficientMarginError,
  OrderNotFoundError,
  OrderRejectedError,
  RateLimitBanError,
  RateLimitExceededError,
  TemporaryExchangeError,
} from './errors';

export interface ErrorContext {
  /** The failed call was an order placement: a lost answer means the order may exist. */
  creatingOrder?: boolean;
}

/** What a 418 or 429 answer said beyond its body: ccxt's errors carry the body but not the status line or headers. */
interface RateLimitAnswer {
  status: 418 | 429;
  retryAfterMs: number | null;
}

const rateLimitAnswers = new WeakMap<object, RateLimitAnswer>();

/** `Retry-After` as milliseconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Named hook on one ccxt exchange's REST response handling: when an answer is a 418 or a
 * 429, the error ccxt throws for it keeps the status and the `Retry-After` header, which
 * {@link fromCcxtError} reads. It changes no answer and no error. `createCcxtExchange`
 * installs it on every exchange the cockpit builds.
 */
export function keepRateLimitAnswers(exchange: InstanceType<typeof ccxt.Exchange>): void {
  const target = exchange as unknown as {
    handleRestResponse: (response: { status?: number }, ...rest: unknown[]) => unknown;
    getResponseHeaders: (response: unknown) => Record<string, string>;
  };
  const handle = target.handleRestResponse.bind(exchange);
  target.handleRestResponse = (response, ...rest) => {
    const result = handle(response, ...rest);
    const status = response?.status;
    if (status !== 418 && status !== 429) return result;
    return Promise.resolve(result).catch((error: unknown) => {
      if (error !== null && typeof error === 'object') {
        rateLimitAnswers.set(error, { status, retryAfterMs: parseRetryAfter(target.getResponseHeaders(response)['Retry-After']) });
      }
      throw error;
    });
  };
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;
/** ccxt's own wording of a 418 answer: `binanceusdm 418 I'm a teapot …` or `okx GET https://… 418 …`. */
const HTTP_418 = /^\S+ (?:[A-Z]+ \S+ )?418 /;

/** Binance says when an IP ban ends in the body: `banned until 1659146879012`. */
function banEndsIn(message: string, now: number): number | null {
  const match = /banned until (\d{10,16})/i.exec(message);
  return match ? Math.max(0, Number(match[1]) - now) : null;
}

function rateLimitError(error: InstanceType<typeof ccxt.BaseError>, answer: RateLimitAnswer | undefined, code: string | null): ExchangeError {
  const message = error.message;
  const banned = answer ? answer.status === 418 : HTTP_418.test(message);
  if (banned) {
    const ms = answer?.retryAfterMs ?? banEndsIn(message, Date.now());
    const howLong = ms === null ? 'the exchange did not say for how long' : `for ${seconds(ms)}`;
    return new RateLimitBanError(`IP banned by the exchange for too many requests (HTTP 418), ${howLong}; nothing is retried: ${message}`, code, ms);
  }
  const ms = answer?.retryAfterMs ?? null;
  const wait = ms === null ? '' : `, the exchange asks to wait ${seconds(ms)}`;
  return new RateLimitExceededError(`Rate limit exceeded (HTTP 429)${wait}: ${message}`, code, ms);
}

/**
 * The exchange's own error code, when ccxt's message carries the raw JSON body (`binanceusdm {"code":-2022,...}`).
 * OKX answers a refused order with a generic `code` ("1") and the reason in its `sCode`, which wins.
 */
function exchangeCode(message: string): string | null {
  const codes = new Map([...message.matchAll(/"(code|retCode|sCode)"\s*:\s*"?(-?\d+)"?/g)].map((m) => [m[1]!, m[2]!] as const));
  return codes.get('sCode') ?? codes.values().next().value ?? null;
}

/** Codes with which an exchange refuses an order whose client order id it already holds. */
const DUPLICATE_CLIENT_ID_CODES: Record<string, readonly string[]> = {
  binance: ['-4116'],
  okx: ['51016'],
  bybit: ['110072', '10014'],
};

function isDuplicateClientId(message: string, code: string | null): boolean {
  const exchange = /^(binance|okx|bybit)/.exec(message)?.[1];
  return exchange !== undefined && code !== null && DUPLICATE_CLIENT_ID_CODES[exchange]!.includes(code);
}

/**
 * Maps a ccxt error onto the cockpit's one error hierarchy. Errors that are not
 * ccxt's (programming errors) pass through untouched. A 429 is a
 * {@link RateLimitExceededError} with the exchange's `Retry-After`; a 418 (ccxt
 * calls it DDoSProtection too) is a {@link RateLimitBanError}, never retried. ccxt's `OperationFailed`
 * family (network errors, bad responses, and exchange codes such as Binance's
 * -1000/-1001/-1006/-1008 "execution status unknown" or "server busy") may
 * succeed on a retry, and on an order placement leaves its outcome unknown. An order placement refused
 * for a client order id the exchange already holds (Binance -4116, OKX 51016, Bybit 110072/10014) is a
 * {@link DuplicateClientOrderIdError}: an earlier try was accepted.
 */
export function fromCcxtError(error: unknown, context: ErrorContext = {}): unknown {
  if (!(error instanceof ccxt.BaseError)) return error;
  const message = error.message;
  const code = exchangeCode(message);
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection) return rateLimitError(error, rateLimitAnswers.get(error), code);
  if (context.creatingOrder && isDuplicateClientId(message, code)) {
    return new DuplicateClientOrderIdError(`The exchange already holds an order with this client order id (${code}): ${message}`, code);
  }
  if (error instanceof ccxt.OperationFailed) {
    return context.creatingOrder ? new AmbiguousOrderError(message, code) : new TemporaryExchangeError(message, code);
  }
  if (error instanceof ccxt.InsufficientFunds) return new InsufficientMarginError(message, code);
  if (error instanceof ccxt.OrderNotFound) return new OrderNotFoundError(message, code);
  if (error instanceof ccxt.AuthenticationError) return new AuthenticationError(message, code);
  if (
    error instanceof ccxt.InvalidOrder ||
    error instanceof ccxt.BadRequest ||
    error instanceof ccxt.OperationRejected ||
    error instanceof ccxt.ArgumentsRequired ||
    error instanceof ccxt.NotSupported
  ) {
    return new OrderRejectedError(message, code);
  }
  return new ExchangeError(message, code);
}

/** Runs one ccxt call and rethrows its failure in the cockpit's hierarchy. */
export async function ccxtCall<T>(call: () => Promise<T>, context: ErrorContext = {}): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromCcxtError(error, context);
  }
}
