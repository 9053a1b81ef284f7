import { describe, expect, it } from 'vitest';
import { parseVenueArgs } from './cli-args';

describe('venue command line', () => {
  it('reads every flag, in both spellings', () => {
    expect(parseVenueArgs(['--port', '9000', '--latency-ms=25', '--faults', '5xx=0.1', '--seed', '42', '--speed=60', '--balance', '2500', '--key', 'k', '--secret=s'])).toEqual({
      help: false,
      options: { port: 9000, latencyMs: 25, faults: '5xx=0.1', seed: 42, speed: 60, startBalance: 2500, apiKey: 'k', apiSecret: 's' },
    });
  });

  it('runs the clock as fast as possible with --speed max', () => {
    expect(parseVenueArgs(['--speed', 'max'])).toEqual({ help: false, options: { speed: 'max' } });
  });

  it('leaves out what was not given, so the defaults apply', () => {
    expect(parseVenueArgs([])).toEqual({ help: false, options: {} });
  });

  it('plays a crash drill with --scenario FILE, from --scenario-at seconds after the start', () => {
    expect(parseVenueArgs(['--scenario', 'crash.json', '--scenario-at', '20'])).toEqual({ help: false, options: { scenarioAtS: 20 }, scenarioFile: 'crash.json' });
    expect(() => parseVenueArgs(['--scenario-at', '20'])).toThrow('--scenario-at needs --scenario');
  });

  it('answers --help', () => {
    expect(parseVenueArgs(['--help'])).toEqual({ help: true });
  });

  it.each([
    [['--bogus', '1'], /Unknown argument "--bogus"/],
    [['--port'], /--port needs a value/],
    [['--port', '70000'], /--port must be a port number/],
    [['--speed', '0'], /--speed must be a number above zero or max, got "0"/],
    [['--speed', 'fastest'], /--speed must be a number above zero or max, got "fastest"/],
    [['--seed', '1.5'], /--seed must be a whole number/],
    [['--balance', '-1'], /--balance must be a number of USDT/],
    [['--latency-ms', 'soon'], /--latency-ms must be a number of milliseconds/],
    [['--seed', '1', '--seed', '2'], /--seed is given twice/],
    [['--scenario', 'c.json', '--scenario-at', 'later'], /--scenario-at must be a number of seconds at or above zero/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseVenueArgs(argv)).toThrow(message);
  });
});
