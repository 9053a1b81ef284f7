import { describe, expect, it } from 'vitest';
import { liveVenueFromEnv, paperFeedFromEnv } from './launch-options';

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

describe('choosing the paper price feed of npm start', () => {
  it('leaves the default (synthetic) when nothing is set', () => {
    expect(paperFeedFromEnv({})).toBeNull();
    expect(paperFeedFromEnv({ COCKPIT_FEED: ' ', COCKPIT_REPLAY: '' })).toBeNull();
  });

  it('reads COCKPIT_FEED and the exchange of the live feed', () => {
    expect(paperFeedFromEnv({ COCKPIT_FEED: 'synthetic' })).toEqual({ kind: 'synthetic' });
    expect(paperFeedFromEnv({ COCKPIT_FEED: 'live' })).toEqual({ kind: 'live' });
    expect(paperFeedFromEnv({ COCKPIT_FEED: 'live', COCKPIT_FEED_EXCHANGE: 'okx' })).toEqual({ kind: 'live', exchange: 'okx' });
  });

  it('replays the files of COCKPIT_REPLAY, one SYMBOL=PATH per ;', () => {
    expect(paperFeedFromEnv({ COCKPIT_REPLAY: 'BTC/USDT:USDT=/path/a.csv; ETH/USDT:USDT=/path/b.json;' })).toEqual({
      kind: 'replay',
      files: { 'BTC/USDT:USDT': '/path/a.csv', 'ETH/USDT:USDT': '/path/b.json' },
    });
  });

  it.each([
    [{ COCKPIT_FEED: 'replay' }, /COCKPIT_FEED must be synthetic or live, got replay/],
    [{ COCKPIT_FEED_EXCHANGE: 'okx' }, /COCKPIT_FEED_EXCHANGE needs COCKPIT_FEED=live/],
    [{ COCKPIT_REPLAY: 'BTC/USDT:USDT' }, /COCKPIT_REPLAY: replay entry "BTC\/USDT:USDT" must be SYMBOL=PATH/],
    [{ COCKPIT_REPLAY: 'BTC/USDT:USDT=/a.csv;BTC/USDT:USDT=/b.csv' }, /COCKPIT_REPLAY: .*already has a file/],
    [{ COCKPIT_REPLAY: 'BTC/USDT:USDT=/a.csv', COCKPIT_FEED: 'live' }, /unset COCKPIT_FEED=live/],
    [{ COCKPIT_FEED: 'live', COCKPIT_EXCHANGE: 'binanceusdm' }, /COCKPIT_EXCHANGE \(live trading\)/],
  ])('refuses %j', (env, message) => {
    expect(() => paperFeedFromEnv(env)).toThrow(message);
  });
});
