import { binanceErrors, type VenueError } from './binance-error';

const DECIMAL = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;
const INTEGER = /^-?[0-9]{1,19}$/;

/**
 * The decoded parameters of one request (query string and form body; the query
 * wins when both carry a name, as on Binance), read with Binance's own refusals.
 */
export class RequestParams {
  constructor(readonly values: ReadonlyMap<string, string>) {}

  static parse(query: string, body: string): RequestParams {
    const values = new Map<string, string>();
    for (const [name, value] of new URLSearchParams(body)) values.set(name, value);
    for (const [name, value] of new URLSearchParams(query)) values.set(name, value);
    return new RequestParams(values);
  }

  optionalString(name: string): string | undefined {
    const value = this.values.get(name);
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw binanceErrors.mandatoryParameter(name);
    return value;
  }

  /** A non-negative decimal such as a quantity or a price. */
  optionalDecimal(name: string): number | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    if (!DECIMAL.test(value)) throw binanceErrors.illegalCharacters(name);
    return Number(value);
  }

  decimal(name: string): number {
    const value = this.optionalDecimal(name);
    if (value === undefined) throw binanceErrors.mandatoryParameter(name);
    return value;
  }

  optionalInteger(name: string): number | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!INTEGER.test(value) || !Number.isSafeInteger(parsed)) throw binanceErrors.illegalCharacters(name);
    return parsed;
  }

  integer(name: string): number {
    const value = this.optionalInteger(name);
    if (value === undefined) throw binanceErrors.mandatoryParameter(name);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw binanceErrors.invalidParameterData(name);
    return lower === 'true';
  }

  optionalEnum<T extends string>(name: string, allowed: readonly T[], refusal: () => VenueError): T | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw refusal();
    return value as T;
  }

  enum<T extends string>(name: string, allowed: readonly T[], refusal: () => VenueError): T {
    const value = this.optionalEnum(name, allowed, refusal);
    if (value === undefined) throw binanceErrors.mandatoryParameter(name);
    return value;
  }
}
