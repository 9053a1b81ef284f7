import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountFile, accountKey } from './account-files';

describe('the files of an account', () => {
  it('are named after the account: paper, each live exchange, and each of its networks and practice accounts', () => {
    expect(accountKey({ mode: 'paper', id: 'paper' })).toBe('paper');
    expect(accountKey({ mode: 'live', id: 'binanceusdm' })).toBe('live-binanceusdm');
    expect(accountKey({ mode: 'live', id: 'binanceusdm', network: 'demo' })).toBe('live-binanceusdm-demo');
    expect(accountKey({ mode: 'live', id: 'bybit', network: 'testnet' })).toBe('live-bybit-testnet');
    expect(accountKey({ mode: 'live', id: 'binanceusdm', network: '127.0.0.1:4321-demo' })).toBe('live-binanceusdm-127.0.0.1_4321_demo');
  });

  it('sit in the data folder, one per kind and account', () => {
    expect(accountFile('/data', 'trades', { mode: 'live', id: 'okx', network: 'demo' })).toBe(path.join('/data', 'trades-live-okx-demo.json'));
    expect(accountFile('/data', 'executions', { mode: 'paper', id: 'paper' })).toBe(path.join('/data', 'executions-paper.json'));
  });
});
