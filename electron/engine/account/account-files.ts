import path from 'node:path';
import type { ExchangeAdapter } from '../exchange/adapter';

/** Which account the engine trades: paper, or a live exchange on one of its networks. */
export type TradedAccount = Pick<ExchangeAdapter, 'mode' | 'id' | 'network'>;

/**
 * The one name of an account on disk: `paper`, `live-binanceusdm`, `live-binanceusdm-demo`,
 * `live-binanceusdm-127.0.0.1_4321`. Everything kept per account (breaker state, closed trades,
 * the execution ledger) is named with it, so one account's state never reaches another.
 */
export function accountKey(account: TradedAccount): string {
  const parts = [account.mode, account.id === account.mode ? null : account.id, account.network ?? null].filter((part): part is string => Boolean(part));
  return parts.map((part) => part.toLowerCase().replace(/[^a-z0-9.]+/g, '_')).join('-');
}

/** `${dataDir}/${kind}-${accountKey}.json`. */
export function accountFile(dataDir: string, kind: string, account: TradedAccount): string {
  return path.join(dataDir, `${kind}-${accountKey(account)}.json`);
}
