import { describe, expect, it } from 'vitest';
import { liveVenueFromEnv } from './launch-options';

describe('choosing the venue of npm start', () => {
  it('is paper trading unless an exchange is named', () => {
    expect(liveVenueFromEnv({})).toBeNull();
    expect(liveVenueFromEnv({ COCKPIT_EXCHANGE: '  ' })).toBeNull();
  });

  it('goes live on the named exchange, with its URL and testnet flag', () => {
    expect(liveVenueFromEnv({ COCKPIT_EXCHANGE: 'binanceusdm' })).toEqual({ exchange: 'binanceusdm' });
    expect(liveVenueFromEnv({ COCKPIT_EXCHANGE: 'binanceusdm', COCKPIT_EXCHANGE_URL: 'http://127.0.0.1:9000', COCKPIT_TESTNET: '1' })).toEqual({
      exchange: 'binanceusdm',
      exchangeUrl: 'http://127.0.0.1:9000',
      testnet: true,
    });
  });

  it('refuses settings it cannot understand', () => {
    expect(() => liveVenueFromEnv({ COCKPIT_EXCHANGE: 'bybit', COCKPIT_EXCHANGE_URL: 'not a url' })).toThrow(/COCKPIT_EXCHANGE_URL/);
    expect(() => liveVenueFromEnv({ COCKPIT_EXCHANGE: 'bybit', COCKPIT_TESTNET: 'yes' })).toThrow(/COCKPIT_TESTNET/);
  });
});
