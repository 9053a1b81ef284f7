import { describe, expect, it } from 'vitest';
import { LIVE_EXCHANGES } from './domain';
import { PRACTICE_ACCOUNTS, practiceAccountName, practiceAccountProblem } from './practice-accounts';

describe('practice accounts per exchange', () => {
  it('offers Binance demo trading only: ccxt refuses its futures testnet', () => {
    expect(practiceAccountProblem('binanceusdm', { testnet: false, demo: true })).toBeNull();
    expect(practiceAccountProblem('binanceusdm', { testnet: true, demo: false })).toEqual({ field: 'testnet', message: 'binanceusdm has no futures testnet the cockpit can use: choose demo trading instead' });
  });

  it('offers Bybit both, and OKX its demo trading', () => {
    expect(practiceAccountProblem('bybit', { testnet: true, demo: false })).toBeNull();
    expect(practiceAccountProblem('bybit', { testnet: false, demo: true })).toBeNull();
    expect(practiceAccountProblem('okx', { testnet: false, demo: true })).toBeNull();
    expect(practiceAccountProblem('okx', { testnet: true, demo: false })?.field).toBe('testnet');
  });

  it('refuses keys meant for the testnet and demo trading at once', () => {
    expect(practiceAccountProblem('bybit', { testnet: true, demo: true })).toMatchObject({ field: 'demo', message: expect.stringContaining('not both') });
  });

  it('always allows the real account', () => {
    for (const id of LIVE_EXCHANGES) expect(practiceAccountProblem(id, { testnet: false, demo: false })).toBeNull();
    expect(Object.keys(PRACTICE_ACCOUNTS).sort()).toEqual([...LIVE_EXCHANGES].sort());
  });

  it('names the account the keys are for', () => {
    expect([practiceAccountName({ testnet: false, demo: false }), practiceAccountName({ testnet: true, demo: false }), practiceAccountName({ testnet: false, demo: true })]).toEqual(['real account', 'testnet', 'demo trading']);
  });
});
