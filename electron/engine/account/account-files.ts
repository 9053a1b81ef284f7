import fs from 'node:fs';
import path from 'node:path';
import type { ExchangeAdapter } from '../exchange/adapter';

/** Which account the engine trades: paper, or a live exchange on one of its networks, with one API key. */
export type TradedAccount = Pick<ExchangeAdapter, 'mode' | 'id' | 'network' | 'keyFingerprint'>;

/**
 * The one name of an account on disk: `paper`, `live-binanceusdm-k<fingerprint>`,
 * `live-binanceusdm-demo-k<fingerprint>`, `live-binanceusdm-127.0.0.1_4321-k<fingerprint>`.
 * Everything kept per account (breaker state, closed trades, the execution ledger) is named with
 * it, so one account's state never reaches another: not across exchanges, practice accounts or
 * networks, and not across two keys (two accounts) on the same exchange. The key itself never
 * appears, only its fingerprint.
 */
export function accountKey(account: TradedAccount): string {
  const fingerprint = account.keyFingerprint ? `k${account.keyFingerprint}` : null;
  const parts = [account.mode, account.id === account.mode ? null : account.id, account.network ?? null, fingerprint].filter((part): part is string => Boolean(part));
  return parts.map((part) => part.toLowerCase().replace(/[^a-z0-9.]+/g, '_')).join('-');
}

/** `${dataDir}/${kind}-${accountKey}.json`. */
export function accountFile(dataDir: string, kind: string, account: TradedAccount): string {
  return path.join(dataDir, `${kind}-${accountKey(account)}.json`);
}

/**
 * Where earlier versions kept this account's file: named without the key's fingerprint (they
 * kept one file per exchange and network, whichever key traded). Null for an account without a key.
 */
export function earlierAccountFile(dataDir: string, kind: string, account: TradedAccount): string | null {
  if (!account.keyFingerprint) return null;
  const { keyFingerprint: _key, ...withoutKey } = account;
  return accountFile(dataDir, kind, withoutKey);
}

/**
 * {@link accountFile}, taking over the file an earlier version kept for the account without a key
 * fingerprint (renamed, so a second key on the same exchange never takes it too). For state that
 * belongs to whichever key traded last: the closed trades, the execution ledger.
 */
export function claimAccountFile(dataDir: string, kind: string, account: TradedAccount): string {
  const file = accountFile(dataDir, kind, account);
  const earlier = earlierAccountFile(dataDir, kind, account);
  if (earlier && !fs.existsSync(file) && fs.existsSync(earlier)) fs.renameSync(earlier, file);
  return file;
}
