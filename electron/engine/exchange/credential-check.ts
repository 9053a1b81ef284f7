import { practiceAccountName } from '../../../shared/practice-accounts';
import type { Credentials } from '../credential-vault';
import type { CcxtExchange } from './ccxt-adapter';
import { toBalance } from './ccxt-parse';
import { TemporaryExchangeError } from './errors';
import { errorMessage } from '../../../shared/error-message';

/** What "Test connection" answers: ok, and a message for the user that never contains the keys. */
export interface CredentialCheck {
  ok: boolean;
  message: string;
}

export interface CredentialCheckOptions {
  /** Where the exchange's URLs point instead (`--exchange-url`, the local venue). */
  exchangeUrl?: string;
  /** Request timeout in ms (default ccxt's 10 s as the adapter sets it). */
  timeoutMs?: number;
}

const SETTLE = 'USDT';

/**
 * Tries keys on their own exchange and practice account with one read-only balance call, on a ccxt
 * exchange built for the purpose and closed afterwards: not the running adapter, which in paper mode
 * has no keys and in live mode has those of the last start. A failure carries the exchange's own
 * error (or says the exchange could not be reached), with the key, secret and passphrase blanked
 * wherever they appear.
 */
export async function checkCredentials(credentials: Credentials, options: CredentialCheckOptions = {}): Promise<CredentialCheck> {
  const [{ createCcxtExchange }, { ccxtCall }] = await Promise.all([import('./ccxt-adapter'), import('./ccxt-errors')]);
  const where = `${credentials.exchange} (${practiceAccountName(credentials)})`;
  let exchange: CcxtExchange | null = null;
  try {
    exchange = createCcxtExchange({
      exchange: credentials.exchange,
      credentials,
      testnet: credentials.testnet,
      demo: credentials.demo,
      ...(options.exchangeUrl !== undefined ? { exchangeUrl: options.exchangeUrl } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    const built = exchange;
    const balance = toBalance(await ccxtCall(() => built.fetchBalance()), SETTLE);
    const wallet = Number.isFinite(balance.walletBalance) ? `wallet ${balance.walletBalance.toFixed(2)} ${SETTLE}` : 'balance read';
    return { ok: true, message: `The keys work on ${where}: ${wallet}.` };
  } catch (error) {
    const verdict = error instanceof TemporaryExchangeError ? `Could not reach ${where}, so the keys are untested` : `The keys do not work on ${where}`;
    return { ok: false, message: `${verdict}: ${withoutSecrets(errorMessage(error), credentials)}` };
  } finally {
    await exchange?.close().catch(() => undefined);
  }
}

/** `message` with the key, secret and passphrase replaced by dots wherever they appear. */
export function withoutSecrets(message: string, credentials: Pick<Credentials, 'apiKey' | 'apiSecret' | 'password'>): string {
  return [credentials.apiKey, credentials.apiSecret, credentials.password ?? ''].filter((secret) => secret.length > 0).reduce((text, secret) => text.replaceAll(secret, '•••'), message);
}
