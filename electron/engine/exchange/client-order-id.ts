import type { OrderPurpose } from '../../../shared/domain';
import type { ExchangeCapabilities } from './adapter';

/** The purposes a client order id can encode, with their short codes. */
const CODES = { entry: 'e', stop: 'sl', 'take-profit': 'tp', close: 'x' } as const;
export type ClientOrderPurpose = keyof typeof CODES;

const PREFIX = 'ck';
const OPERATION = /^[a-z0-9]{1,16}$/;
const DASHED = /^ck-([a-z0-9]{1,16})-(e|sl|tp|x)-(\d{1,6})$/;
const COMPACT = /^ck([a-z0-9]{1,16})(E|SL|TP|X)(\d{1,6})$/;

export interface ParsedClientOrderId {
  /** The operation (a proposal, a close, a move series) the order belongs to. */
  operation: string;
  purpose: ClientOrderPurpose;
  generation: number;
}

/**
 * The deterministic client order id of one order: the same operation, purpose
 * and generation always give the same id, so a retry can never open a second order.
 *
 * @example clientOrderId('lz3k9a0', 'stop', 2, caps) // 'ck-lz3k9a0-sl-2'
 */
export function clientOrderId(
  operation: string,
  purpose: ClientOrderPurpose,
  generation: number,
  capabilities: Pick<ExchangeCapabilities, 'maxClientOrderIdLength' | 'clientOrderIdStyle'>,
): string {
  if (!OPERATION.test(operation)) throw new Error(`Operation id "${operation}" must be 1-16 lowercase letters or digits`);
  if (!Number.isInteger(generation) || generation < 1 || generation > 999_999) throw new Error(`Generation ${generation} must be an integer from 1 to 999999`);
  const code = CODES[purpose];
  const id =
    capabilities.clientOrderIdStyle === 'alphanumeric'
      ? `${PREFIX}${operation}${code.toUpperCase()}${generation}`
      : `${PREFIX}-${operation}-${code}-${generation}`;
  if (id.length > capabilities.maxClientOrderIdLength) {
    throw new Error(`Client order id ${id} is longer than the exchange's ${capabilities.maxClientOrderIdLength} characters`);
  }
  return id;
}

/** Reads back one of the cockpit's client order ids; null for any other id (e.g. an order placed by hand). */
export function parseClientOrderId(id: string): ParsedClientOrderId | null {
  const match = DASHED.exec(id) ?? COMPACT.exec(id);
  if (!match) return null;
  const code = match[2]!.toLowerCase();
  const purpose = (Object.keys(CODES) as ClientOrderPurpose[]).find((p) => CODES[p] === code)!;
  return { operation: match[1]!, purpose, generation: Number(match[3]) };
}

/** What an order is for: the cockpit's own ids say it; for foreign orders the order type does. */
export function orderPurpose(order: { clientOrderId: string; type: string; reduceOnly: boolean; closePosition: boolean }): OrderPurpose {
  const parsed = parseClientOrderId(order.clientOrderId);
  if (parsed) return parsed.purpose;
  if (order.type === 'stop_market') return 'stop';
  if (order.type === 'take_profit_market') return 'take-profit';
  return 'other';
}

/**
 * A fresh operation id: base-36 time, a counter and three random characters,
 * so ids stay unique across restarts even when a simulated clock starts over.
 */
export function operationIdFactory(now: () => number, random: () => number = Math.random): () => string {
  let last = '';
  let counter = 0;
  return () => {
    const stamp = Math.max(0, Math.floor(now())).toString(36).slice(-9);
    counter = stamp === last ? counter + 1 : 0;
    last = stamp;
    const noise = Math.floor(random() * 36 ** 3).toString(36).padStart(3, '0');
    return `${stamp}${(counter % 1296).toString(36)}${noise}`.slice(0, 16);
  };
}

/** The order with its purpose filled in when the adapter left it as `other`. */
export function withPurpose<T extends { clientOrderId: string; type: string; reduceOnly: boolean; closePosition: boolean; purpose: OrderPurpose }>(order: T): T {
  return order.purpose === 'other' ? { ...order, purpose: orderPurpose(order) } : order;
}
