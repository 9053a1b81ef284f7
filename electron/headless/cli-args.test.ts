import { describe, expect, it } from 'vitest';
import { HEADLESS_USAGE, parseHeadlessArgs, remoteHostWarning, UsageError } from './cli-args';

describe('npm run headless flags', () => {
  it('defaults to paper mode on loopback', () => {
    expect(parseHeadlessArgs([])).toEqual({ host: '127.0.0.1', port: 5180, dataDir: '.cockpit-data', paper: {}, live: null, insecureRemote: false });
  });

  it('reads the port, host, data folder and the simulator options', () => {
    expect(
      parseHeadlessArgs(['--port', '0', '--host', '0.0.0.0', '--data-dir', '/tmp/d', '--seed', '7', '--speed', '60', '--faults', 'latency=50,timeout=0.1', '--start-balance', '5000']),
    ).toEqual({ host: '0.0.0.0', port: 0, dataDir: '/tmp/d', paper: { seed: 7, speed: 60, faults: 'latency=50,timeout=0.1', startBalance: 5000 }, live: null, insecureRemote: false });
  });

  it('shows the fault spec as key=value pairs in the usage text', () => {
    expect(HEADLESS_USAGE).toContain('latency=50,5xx=0.1,timeout=0.05');
    expect(HEADLESS_USAGE).not.toMatch(/timeout:/);
  });

  it('starts the paper clock at --start-time, on synthetic prices only', () => {
    expect(parseHeadlessArgs(['--start-time', '2026-01-01T07:58:00Z']).paper).toEqual({ startTime: Date.UTC(2026, 0, 1, 7, 58) });
    expect(parseHeadlessArgs(['--start-time', '1767254280000']).paper).toEqual({ startTime: 1_767_254_280_000 });
    expect(() => parseHeadlessArgs(['--start-time', 'soon'])).toThrow(/--start-time must be/);
    expect(() => parseHeadlessArgs(['--start-time', '1767254280000', '--feed', 'live'])).toThrow(/synthetic prices/);
    expect(() => parseHeadlessArgs(['--start-time', '1767254280000', '--exchange', 'binanceusdm'])).toThrow(/paper mode/);
  });

  it('chooses the paper price feed: synthetic, or live public prices from binanceusdm or the named exchange', () => {
    expect(parseHeadlessArgs(['--feed', 'synthetic']).paper).toEqual({ feed: { kind: 'synthetic' } });
    expect(parseHeadlessArgs(['--feed', 'live']).paper).toEqual({ feed: { kind: 'live' } });
    expect(parseHeadlessArgs(['--feed', 'live', '--feed-exchange', 'bybit', '--seed', '3']).paper).toEqual({ seed: 3, feed: { kind: 'live', exchange: 'bybit' } });
  });

  it('plays a crash drill from a scenario file in paper mode, at once or --scenario-at seconds after the start', () => {
    expect(parseHeadlessArgs(['--scenario', './crash.json']).paper).toEqual({ scenario: { file: './crash.json' } });
    expect(parseHeadlessArgs(['--scenario', './crash.json', '--scenario-at', '30', '--speed', '10']).paper).toEqual({ speed: 10, scenario: { file: './crash.json', atS: 30 } });
    expect(() => parseHeadlessArgs(['--scenario-at', '30'])).toThrow('--scenario-at needs --scenario');
    expect(() => parseHeadlessArgs(['--scenario', 'c.json', '--scenario-at=-1'])).toThrow('--scenario-at must be a number of seconds at or above zero');
    expect(() => parseHeadlessArgs(['--scenario', 'c.json', '--exchange', 'binanceusdm'])).toThrow(UsageError);
    expect(() => parseHeadlessArgs(['--scenario', 'c.json', '--exchange', 'binanceusdm'])).toThrow('a live exchange\'s prices are real');
  });

  it('replays one file per symbol with --replay SYMBOL=PATH, at any speed', () => {
    expect(parseHeadlessArgs(['--replay', 'BTC/USDT:USDT=/data/btc.csv', '--replay', 'ETH/USDT:USDT=./eth.json', '--speed', '30']).paper).toEqual({
      speed: 30,
      feed: { kind: 'replay', files: { 'BTC/USDT:USDT': '/data/btc.csv', 'ETH/USDT:USDT': './eth.json' } },
    });
  });

  it('runs paper time as fast as possible with --speed max, on a replay or on synthetic prices', () => {
    expect(parseHeadlessArgs(['--replay', 'BTC/USDT:USDT=/data/btc.csv', '--speed', 'max']).paper).toEqual({
      speed: 'max',
      feed: { kind: 'replay', files: { 'BTC/USDT:USDT': '/data/btc.csv' } },
    });
    expect(parseHeadlessArgs(['--speed=max']).paper).toEqual({ speed: 'max' });
  });

  it('warns that a non-loopback --host is unencrypted, and refuses live keys there without --insecure-remote', () => {
    expect(remoteHostWarning('127.0.0.1')).toBeNull();
    expect(remoteHostWarning('localhost')).toBeNull();
    expect(remoteHostWarning('0.0.0.0')).toMatch(/WARNING bound to 0\.0\.0\.0: the cockpit serves plain HTTP.*unencrypted/);
    expect(parseHeadlessArgs(['--host', '0.0.0.0']).host).toBe('0.0.0.0');
    expect(() => parseHeadlessArgs(['--host', '0.0.0.0', '--exchange', 'binanceusdm'])).toThrow(/--host 0\.0\.0\.0 is not loopback.*need --insecure-remote/);
    expect(parseHeadlessArgs(['--host', '0.0.0.0', '--exchange', 'binanceusdm', '--insecure-remote'])).toMatchObject({ host: '0.0.0.0', insecureRemote: true, live: { exchange: 'binanceusdm' } });
    expect(parseHeadlessArgs(['--host', '::1', '--exchange', 'binanceusdm']).live).toEqual({ exchange: 'binanceusdm' });
  });

  it('takes --exchange-url with http:// only for a loopback address', () => {
    expect(() => parseHeadlessArgs(['--exchange', 'binanceusdm', '--exchange-url', 'http://192.168.1.9:9100'])).toThrow(UsageError);
    expect(() => parseHeadlessArgs(['--exchange', 'binanceusdm', '--exchange-url', 'http://192.168.1.9:9100'])).toThrow(/http:\/\/ is accepted only for a loopback address/);
    expect(parseHeadlessArgs(['--exchange', 'binanceusdm', '--exchange-url', 'https://fapi.example']).live).toEqual({ exchange: 'binanceusdm', exchangeUrl: 'https://fapi.example' });
  });

  it('goes live with --exchange, passing the URL and the practice account on', () => {
    expect(parseHeadlessArgs(['--exchange', 'binanceusdm', '--exchange-url', 'http://127.0.0.1:9100', '--demo']).live).toEqual({
      exchange: 'binanceusdm',
      exchangeUrl: 'http://127.0.0.1:9100',
      demo: true,
    });
    expect(parseHeadlessArgs(['--exchange', 'bybit', '--testnet']).live).toEqual({ exchange: 'bybit', testnet: true });
  });

  it.each([
    [['--port', '70000'], /--port/],
    [['--port', 'abc'], /--port/],
    [['--port', ''], /--port/],
    [['--port', '1.5'], /--port/],
    [['--seed', 'x'], /--seed/],
    [['--speed', '-1'], /--speed/],
    [['--speed=-1'], /--speed must be a number above zero or max, got "-1"/],
    [['--speed', 'fast'], /--speed must be a number above zero or max, got "fast"/],
    [['--speed', ''], /--speed must be a number above zero or max/],
    [['--host', ''], /--host/],
    [['--bogus'], /bogus/],
    [['positional'], /positional/],
    [['--testnet'], /need --exchange/],
    [['--demo'], /need --exchange/],
    [['--exchange', 'binanceusdm', '--testnet'], /--testnet: binanceusdm has no futures testnet the cockpit can use: choose demo trading instead/],
    [['--exchange', 'bybit', '--testnet', '--demo'], /--demo: .*not both/],
    [['--exchange', 'binanceusdm', '--exchange-url', 'nope'], /--exchange-url/],
    [['--exchange', 'binanceusdm', '--seed', '1'], /paper mode/],
    [['--faults', 'timeout:0.05'], /--faults: Bad fault spec "timeout:0.05": expected .* as key=value/],
    [['--faults', '5xx=2'], /--faults: Bad fault spec "5xx=2"/],
    [['--feed', 'replay'], /--feed must be synthetic or live, got "replay" \(replay a file with --replay SYMBOL=PATH\)/],
    [['--feed', 'binance'], /--feed must be synthetic or live/],
    [['--feed-exchange', 'bybit'], /--feed-exchange needs --feed live/],
    [['--feed', 'synthetic', '--feed-exchange', 'bybit'], /--feed-exchange needs --feed live/],
    [['--feed', 'live', '--feed-exchange', ' '], /--feed-exchange must not be empty/],
    [['--feed', 'live', '--speed', '10'], /--feed live runs in real time; drop --speed/],
    [['--feed', 'live', '--speed', 'max'], /--feed live runs in real time; drop --speed/],
    [['--replay', 'BTC/USDT:USDT'], /--replay: replay entry "BTC\/USDT:USDT" must be SYMBOL=PATH/],
    [['--replay', 'BTC/USDT:USDT='], /must be SYMBOL=PATH/],
    [['--replay', 'btc=/a.csv'], /"btc" is not a unified symbol/],
    [['--replay', 'BTC/USDT:USDT=/a.csv', '--replay', 'BTC/USDT:USDT=/b.csv'], /already has a file/],
    [['--replay', 'BTC/USDT:USDT=/a.csv', '--feed', 'live'], /--replay chooses the replay feed; drop --feed live/],
    [['--replay', 'BTC/USDT:USDT=/a.csv', '--feed', 'synthetic'], /drop --feed synthetic/],
    [['--exchange', 'binanceusdm', '--feed', 'live'], /live trading \(--exchange\)/],
    [['--exchange', 'binanceusdm', '--replay', 'BTC/USDT:USDT=/a.csv'], /live trading \(--exchange\)/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseHeadlessArgs(argv)).toThrow(UsageError);
    expect(() => parseHeadlessArgs(argv)).toThrow(message);
  });
});
