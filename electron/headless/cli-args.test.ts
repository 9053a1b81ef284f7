import { describe, expect, it } from 'vitest';
import { parseHeadlessArgs, UsageError } from './cli-args';

describe('npm run headless flags', () => {
  it('defaults to paper mode on loopback', () => {
    expect(parseHeadlessArgs([])).toEqual({ host: '127.0.0.1', port: 5180, dataDir: '.cockpit-data', paper: {}, live: null });
  });

  it('reads the port, host, data folder and the simulator options', () => {
    expect(
      parseHeadlessArgs(['--port', '0', '--host', '0.0.0.0', '--data-dir', '/tmp/d', '--seed', '7', '--speed', '60', '--faults', 'timeout:0.1', '--start-balance', '5000']),
    ).toEqual({ host: '0.0.0.0', port: 0, dataDir: '/tmp/d', paper: { seed: 7, speed: 60, faults: 'timeout:0.1', startBalance: 5000 }, live: null });
  });

  it('goes live with --exchange, passing the URL and testnet flag on', () => {
    expect(parseHeadlessArgs(['--exchange', 'binanceusdm', '--exchange-url', 'http://127.0.0.1:9100', '--testnet']).live).toEqual({
      exchange: 'binanceusdm',
      exchangeUrl: 'http://127.0.0.1:9100',
      testnet: true,
    });
  });

  it.each([
    [['--port', '70000'], /--port/],
    [['--port', 'abc'], /--port/],
    [['--port', ''], /--port/],
    [['--port', '1.5'], /--port/],
    [['--seed', 'x'], /--seed/],
    [['--speed', '-1'], /--speed/],
    [['--host', ''], /--host/],
    [['--bogus'], /bogus/],
    [['positional'], /positional/],
    [['--testnet'], /need --exchange/],
    [['--exchange', 'binanceusdm', '--exchange-url', 'nope'], /--exchange-url/],
    [['--exchange', 'binanceusdm', '--seed', '1'], /paper mode/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseHeadlessArgs(argv)).toThrow(UsageError);
    expect(() => parseHeadlessArgs(argv)).toThrow(message);
  });
});
