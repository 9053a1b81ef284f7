import type { LiveExchangeId } from './domain';

/**
 * The practice accounts the cockpit reaches through ccxt on an exchange's USDT perpetuals.
 * `testnet` is the exchange's separate test network (ccxt's sandbox mode); `demo` is demo trading
 * with the same site's markets (ccxt's `enableDemoTrading` on Binance and Bybit; on OKX, its
 * simulated-trading header). Binance offers no testnet here: ccxt refuses every private futures
 * call in sandbox mode and points to demo trading instead.
 */
export interface PracticeAccounts {
  testnet: boolean;
  demo: boolean;
}

/** Which practice accounts each exchange has; the settings show only these toggles. */
export const PRACTICE_ACCOUNTS: Record<LiveExchangeId, PracticeAccounts> = {
  binanceusdm: { testnet: false, demo: true },
  bybit: { testnet: true, demo: true },
  okx: { testnet: false, demo: true },
};

/** Which practice account keys are for: both false is the real account. */
export type PracticeChoice = PracticeAccounts;

/** Why keys for `exchange` cannot be for this practice account, at the toggle to show it on; null when they can. */
export function practiceAccountProblem(exchange: LiveExchangeId, choice: PracticeChoice): { field: keyof PracticeAccounts; message: string } | null {
  const offered = PRACTICE_ACCOUNTS[exchange];
  if (choice.testnet && choice.demo) return { field: 'demo', message: 'Keys are for the testnet or for demo trading, not both: choose one' };
  if (choice.testnet && !offered.testnet) {
    return { field: 'testnet', message: `${exchange} has no futures testnet the cockpit can use${offered.demo ? ': choose demo trading instead' : ''}` };
  }
  if (choice.demo && !offered.demo) {
    return { field: 'demo', message: `${exchange} has no demo trading the cockpit can use${offered.testnet ? ': choose the testnet instead' : ''}` };
  }
  return null;
}

/** e.g. `demo trading`, `testnet`, `real account`. */
export function practiceAccountName(choice: PracticeChoice): string {
  return choice.demo ? 'demo trading' : choice.testnet ? 'testnet' : 'real account';
}
