import { describe, expect, it } from 'vitest';
import type { CredentialStatus } from '../../shared/domain';
import { devServerUrl, liveVenueAtLaunch, liveVenueFromEnv, modePinnedByEnv, paperFeedFromEnv } from './launch-options';

describe('choosing the venue of npm start', () => {
  it('is paper trading unless an exchange is named', () => {
    expect(liveVenueFromEnv({})).toBeNull();
    expect(liveVenueFromEnv({ COCKPIT_EXCHANGE: '  ' })).toBeNull();
  });

  it('goes live on the named exchange, with its URL and practice account', () => {
    expect(liveVenueFromEnv({ COCKPIT_EXCHANGE: 'binanceusdm' })).toEqual({ exchange: 'binanceusdm' });
    expect(liveVenueFromEnv({ COCKPIT_EXCHANGE: 'binanceusdm', COCKPIT_EXCHANGE_URL: 'http://127.0.0.1:9000', COCKPIT_DEMO: '1' })).toEqual({
      exchange: 'binanceusdm',
      exchangeUrl: 'http://127.0.0.1:9000',
      demo: true,
    });
    expect(liveVenueFromEnv({ COCKPIT_EXCHANGE: 'bybit', COCKPIT_TESTNET: 'true' })).toEqual({ exchange: 'bybit', testnet: true });
  });

  it('refuses settings it cannot understand', () => {
    expect(() => liveVenueFromEnv({ COCKPIT_EXCHANGE: 'bybit', COCKPIT_EXCHANGE_URL: 'not a url' })).toThrow(/COCKPIT_EXCHANGE_URL/);
    expect(() => liveVenueFromEnv({ COCKPIT_EXCHANGE: 'bybit', COCKPIT_TESTNET: 'yes' })).toThrow(/COCKPIT_TESTNET/);
    expect(() => liveVenueFromEnv({ COCKPIT_EXCHANGE: 'bybit', COCKPIT_DEMO: 'yes' })).toThrow(/COCKPIT_DEMO/);
  });
});

describe('the venue of a start, from the mode chosen in the app', () => {
  const keys = (over: Partial<CredentialStatus> = {}): CredentialStatus => ({
    exchange: 'binanceusdm',
    stored: true,
    maskedKey: 'AKIA…0KEY',
    encryption: 'os',
    testnet: false,
    demo: false,
    ...over,
  });
  const liveChoice = { mode: 'live', exchange: 'binanceusdm', testnet: false, demo: false } as const;

  it('asks for the live confirmation again when the keys are replaced with another account\'s on the same exchange', () => {
    expect(liveVenueAtLaunch({}, { ...liveChoice, fingerprint: 'aaaaaaaaaaaa' }, keys({ fingerprint: 'aaaaaaaaaaaa' }))).toEqual({ exchange: 'binanceusdm' });
    expect(liveVenueAtLaunch({}, { ...liveChoice, fingerprint: 'aaaaaaaaaaaa' }, keys({ fingerprint: 'bbbbbbbbbbbb' }))).toBeNull();
    expect(liveVenueAtLaunch({}, liveChoice, keys({ fingerprint: 'bbbbbbbbbbbb' })), 'a choice from before fingerprints, keys stored since').toBeNull();
    expect(liveVenueAtLaunch({}, liveChoice, keys()), 'a choice and keys both from before fingerprints').toEqual({ exchange: 'binanceusdm' });
  });

  it('is live on the chosen exchange when its keys are stored', () => {
    expect(liveVenueAtLaunch({}, liveChoice, keys())).toEqual({ exchange: 'binanceusdm' });
    expect(liveVenueAtLaunch({}, { ...liveChoice, demo: true }, keys({ demo: true }))).toEqual({ exchange: 'binanceusdm', demo: true });
    expect(liveVenueAtLaunch({}, { ...liveChoice, exchange: 'bybit', testnet: true }, keys({ exchange: 'bybit', testnet: true }))).toEqual({ exchange: 'bybit', testnet: true });
  });

  it('is paper when paper was chosen, even with keys stored', () => {
    expect(liveVenueAtLaunch({}, { mode: 'paper' }, keys())).toBeNull();
  });

  it('falls back to paper when the keys were removed or replaced since live was confirmed', () => {
    expect(liveVenueAtLaunch({}, liveChoice, keys({ stored: false, exchange: null, maskedKey: null, encryption: 'none' }))).toBeNull();
    expect(liveVenueAtLaunch({}, liveChoice, keys({ exchange: 'bybit' }))).toBeNull();
    expect(liveVenueAtLaunch({}, { ...liveChoice, demo: true }, keys({ demo: false }))).toBeNull();
    expect(liveVenueAtLaunch({}, liveChoice, keys({ demo: true }))).toBeNull();
  });

  it('lets COCKPIT_EXCHANGE win, as before, and says it pins the mode', () => {
    expect(liveVenueAtLaunch({ COCKPIT_EXCHANGE: 'okx' }, { mode: 'paper' }, keys())).toEqual({ exchange: 'okx' });
    expect(modePinnedByEnv({ COCKPIT_EXCHANGE: 'okx' })).toMatch(/COCKPIT_EXCHANGE=okx/);
    expect(modePinnedByEnv({ COCKPIT_EXCHANGE: ' ' })).toBeNull();
    expect(modePinnedByEnv({})).toBeNull();
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

describe('the development URL', () => {
  const url = 'http://127.0.0.1:5173/';

  it('is trusted only with COCKPIT_DEV=1, in an unpackaged app, on a loopback URL', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: url, COCKPIT_DEV: '1' }, false)).toBe(url);
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173', COCKPIT_DEV: 'true' }, false)).toBe('http://localhost:5173');
  });

  it('is ignored without the flag (npm start), or in a packaged app', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: url }, false)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: url, COCKPIT_DEV: '0' }, false)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: url, COCKPIT_DEV: '1' }, true)).toBeUndefined();
    expect(devServerUrl({ COCKPIT_DEV: '1' }, false)).toBeUndefined();
  });

  it('is refused, with the reason, when it is not a loopback http(s) URL', () => {
    for (const bad of ['http://192.168.1.5:5173', 'https://evil.example/', 'file:///tmp/x.html', 'http://127.0.0.1@evil.example/']) {
      expect(() => devServerUrl({ ELECTRON_RENDERER_URL: bad, COCKPIT_DEV: '1' }, false), bad).toThrow(/must be a loopback http\(s\) URL/);
    }
  });
});
