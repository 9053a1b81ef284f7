/** A copy of `value` without the keys whose value is undefined, so the core sees only what was sent. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
