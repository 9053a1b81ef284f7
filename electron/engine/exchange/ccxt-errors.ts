import ccxt from 'ccxt';
import {
  AmbiguousOrderError,
  AuthenticationError,
  ExchangeError,
  InsufficientMarginError,
  OrderNotFoundError,
  OrderRejectedError,
  TemporaryExchangeError,
} from './errors';

export interface ErrorContext {
  /** The failed call was an order placement: a lost answer means the order may exist. */
  creatingOrder?: boolean;
}

/** The exchange's own error code, when ccxt's message carries the raw JSON body (`binanceusdm {"code":-2022,...}`). */
function exchangeCode(message: string): string | null {
  const match = /"(?:code|retCode|sCode)"\s*:\s*"?(-?\d+)"?/.exec(message);
  return match ? match[1]! : null;
}

/**
 * Maps a ccxt error onto the cockpit's one error hierarchy. Errors that are not
 * ccxt's (programming errors) pass through untouched. ccxt's `OperationFailed`
 * family (network errors, bad responses, and exchange codes such as Binance's
 * -1000/-1001/-1006/-1008 "execution status unknown" or "server busy") may
 * succeed on a retry, and on an order placement leaves its outcome unknown.
 */
export function fromCcxtError(error: unknown, context: ErrorContext = {}): unknown {
  if (!(error instanceof ccxt.BaseError)) return error;
  const message = error.message;
  const code = exchangeCode(message);
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection) return new TemporaryExchangeError(message, code);
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
