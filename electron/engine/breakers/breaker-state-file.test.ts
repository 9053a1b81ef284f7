import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BreakerStateFile } from './breaker-state-file';

const file = (account: Parameters<typeof BreakerStateFile.forAccount>[1]) => path.basename(BreakerStateFile.forAccount('/data', account).file);

describe('the breaker state file of an account', () => {
  it('is one file per account: paper, each live exchange, and each of its networks', () => {
    expect(file({ mode: 'paper', id: 'paper' })).toBe('breakers-paper.json');
    expect(file({ mode: 'live', id: 'binanceusdm' })).toBe('breakers-live-binanceusdm.json');
    expect(file({ mode: 'live', id: 'binanceusdm', network: 'testnet' })).toBe('breakers-live-binanceusdm-testnet.json');
    expect(file({ mode: 'live', id: 'bybit' })).toBe('breakers-live-bybit.json');
    expect(file({ mode: 'live', id: 'binanceusdm', network: '127.0.0.1:4321' })).toBe('breakers-live-binanceusdm-127.0.0.1_4321.json');
  });

  it('lives in the data folder', () => {
    expect(path.dirname(BreakerStateFile.forAccount('/data', { mode: 'paper', id: 'paper' }).file)).toBe('/data');
  });
});
