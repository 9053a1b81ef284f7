/**
 * The one error hierarchy for exchange calls. Only {@link TemporaryExchangeError}
 * is retried; {@link AmbiguousOrderError} is resolved by querying the client order id.
 */
export class ExchangeError extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 5xx, 429 rate limits, timestamp drift, dropped connections: safe to retry with backoff. */
export class TemporaryExchangeError extends ExchangeError {
  constructor(
    message: string,
    code: string | null = null,
    /** How long the exchange asked to wait before the next request (its `Retry-After`), when it said. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message, code);
  }
}

/** HTTP 429: too many requests. Retried, but never before the exchange's `Retry-After`. */
export class RateLimitExceededError extends TemporaryExchangeError {}

/**
 * HTTP 418: the exchange banned this IP for ignoring its rate limits. Never
 * retried: every request until the ban ends would only lengthen it.
 */
export class RateLimitBanError extends ExchangeError {
  constructor(
    message: string,
    code: string | null,
    /** How long the ban lasts from when it was reported, when the exchange said. */
    readonly retryAfterMs: number | null,
  ) {
    super(message, code);
  }
}

/** The request may or may not have reached the exchange (a timeout after sending). */
export class AmbiguousOrderError extends TemporaryExchangeError {}

/**
 * The exchange refused an order because it already holds one under the same client order id
 * (Binance -4116, OKX 51016, Bybit 110072 and 10014): an earlier try of this very order was
 * accepted. Not a rejection: `sendOrder` looks the order up and returns it, and never sends it again.
 */
export class DuplicateClientOrderIdError extends ExchangeError {}

/** The exchange rejected the request: bad parameters, reduce-only violations, filters. */
export class OrderRejectedError extends ExchangeError {}

export class InsufficientMarginError extends OrderRejectedError {}

export class OrderNotFoundError extends ExchangeError {}

export class AuthenticationError extends ExchangeError {}

/** The account is set up in a way the cockpit cannot trade safely (hedge mode); the user has to change it on the exchange. */
export class AccountSetupError extends ExchangeError {}
