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
export class TemporaryExchangeError extends ExchangeError {}

/** The request may or may not have reached the exchange (a timeout after sending). */
export class AmbiguousOrderError extends TemporaryExchangeError {}

/** The exchange rejected the request: bad parameters, reduce-only violations, filters. */
export class OrderRejectedError extends ExchangeError {}

export class InsufficientMarginError extends OrderRejectedError {}

export class OrderNotFoundError extends ExchangeError {}

export class AuthenticationError extends ExchangeError {}

/** The account is set up in a way the cockpit cannot trade safely (hedge mode); the user has to change it on the exchange. */
export class AccountSetupError extends ExchangeError {}
