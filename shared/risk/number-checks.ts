/** True for a finite number above zero. */
export const isPositive = (n: number): boolean => Number.isFinite(n) && n > 0;

/** True for a finite number at or above zero. */
export const isNonNegative = (n: number): boolean => Number.isFinite(n) && n >= 0;

/** Throws a RangeError naming `name` unless `n` is a finite number above zero. */
export function requirePositive(name: string, n: number): void {
  if (!isPositive(n)) throw new RangeError(`${name} must be a finite number above zero, got ${n}`);
}

/** Throws a RangeError naming `name` unless `n` is a finite number at or above zero. */
export function requireNonNegative(name: string, n: number): void {
  if (!isNonNegative(n)) throw new RangeError(`${name} must be a finite number at or above zero, got ${n}`);
}

/** Throws a RangeError naming `name` unless `n` is a finite number. */
export function requireFinite(name: string, n: number): void {
  if (!Number.isFinite(n)) throw new RangeError(`${name} must be a finite number, got ${n}`);
}

/** Throws a RangeError naming `name` unless `n` is above zero; Infinity is allowed, for "no limit". */
export function requireLimit(name: string, n: number): void {
  if (!(n > 0)) throw new RangeError(`${name} must be above zero (Infinity for no limit), got ${n}`);
}
