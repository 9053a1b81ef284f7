import type { CockpitError, ErrorType } from '../../shared/result';
import { LockRevokedError } from './execution-lock';
import { AmbiguousOrderError, ExchangeError, TemporaryExchangeError } from './exchange/errors';
import { errorMessage } from '../../shared/error-message';

/** An engine refusal or failure that should reach the user as data. */
export class CommandError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly extra: Omit<CockpitError, 'type' | 'message'> = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** The one place where thrown errors become the data a transport sends. */
export function toCockpitError(error: unknown): CockpitError {
  if (error instanceof CommandError) return { type: error.type, message: error.message, ...error.extra };
  if (error instanceof LockRevokedError) return { type: 'refused', message: error.message };
  if (error instanceof AmbiguousOrderError) return { type: 'temporary', message: `Outcome unknown: ${error.message}` };
  if (error instanceof TemporaryExchangeError) return { type: 'temporary', message: error.message, ...(error.code ? { code: error.code } : {}) };
  if (error instanceof ExchangeError) return { type: 'exchange', message: error.message, ...(error.code ? { code: error.code } : {}) };
  const message = errorMessage(error);
  return { type: 'internal', message };
}
