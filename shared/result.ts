/** Every failure that crosses a process boundary travels as data, never as a thrown object. */
export type ErrorType =
  | 'invalid-input'
  | 'unknown-command'
  | 'unauthorized'
  | 'refused'
  | 'not-found'
  | 'exchange'
  | 'temporary'
  | 'internal';

export interface CockpitError {
  type: ErrorType;
  message: string;
  /** Field-level problems, keyed by dotted path (e.g. `risk.riskPerTrade`). */
  fields?: Record<string, string>;
  /** Machine-readable rule or exchange code, when one applies. */
  code?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: CockpitError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (type: ErrorType, message: string, extra: Omit<CockpitError, 'type' | 'message'> = {}): Result<never> => ({
  ok: false,
  error: { type, message, ...extra },
});
