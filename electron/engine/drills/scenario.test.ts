import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from './builtin-scenarios';
import { changeAt, fundingAt, loadScenarioFile, parseScenario, ScenarioError } from './scenario';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

const crash = {
  name: 'BTC crash',
  symbols: {
    [BTC]: { path: [{ at: 0, change: 0 }, { at: 60, change: -10 }, { at: 70, change: -15 }, { at: 90, change: -12 }] },
    [ETH]: { path: [{ at: 300, change: -20 }], funding: [{ at: 0, rate: 0.3 }] },
  },
};

const refusal = (raw: unknown) => {
  try {
    parseScenario(raw, 'my-drill.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message;
  }
  throw new Error('the scenario was accepted');
};

describe('scenario paths', () => {
  it('moves each symbol along its own path, linear between points, and holds the last change after it', () => {
    const scenario = parseScenario(crash, 'test');
    const btc = scenario.symbols[BTC]!.path;
    expect(changeAt(btc, 0)).toBe(0);
    expect(changeAt(btc, 30)).toBeCloseTo(-5, 12);
    expect(changeAt(btc, 65)).toBeCloseTo(-12.5, 12);
    expect(changeAt(btc, 80)).toBeCloseTo(-13.5, 12);
    expect(changeAt(btc, 500)).toBe(-12);
  });

  it('starts a path that begins later from no change at 0 s: ETH −20% over 5 minutes', () => {
    const eth = parseScenario(crash, 'test').symbols[ETH]!.path;
    expect(eth).toEqual([{ at: 0, change: 0 }, { at: 300, change: -20 }]);
    expect(changeAt(eth, 150)).toBeCloseTo(-10, 12);
  });

  it('lasts until the last point of any symbol, or the longer durationS', () => {
    expect(parseScenario(crash, 'test').durationS).toBe(300);
    expect(parseScenario({ ...crash, durationS: 3_600 }, 'test').durationS).toBe(3_600);
    expect(parseScenario({ ...crash, durationS: 10 }, 'test').durationS).toBe(300);
  });

  it('gives funding as a fraction from its first step on, none before', () => {
    expect(fundingAt([{ at: 60, rate: 0.3 }, { at: 120, rate: -0.1 }], 30)).toBeUndefined();
    expect(fundingAt([{ at: 60, rate: 0.3 }, { at: 120, rate: -0.1 }], 90)).toBeCloseTo(0.003, 12);
    expect(fundingAt([{ at: 60, rate: 0.3 }, { at: 120, rate: -0.1 }], 200)).toBeCloseTo(-0.001, 12);
  });

  it('ships four built-in drills that pass the same checks as a file', () => {
    expect(Object.keys(BUILTIN_SCENARIOS)).toEqual(['flash-crash', 'slow-bleed', 'short-squeeze', 'funding-spike']);
    expect(changeAt(BUILTIN_SCENARIOS['flash-crash']!.symbols[BTC]!.path, 70)).toBe(-15);
  });
});

describe('bad scenario files are refused, naming the field', () => {
  it.each([
    [[], 'my-drill.json: must be a JSON object'],
    [{ symbols: crash.symbols }, 'my-drill.json: name must be a text'],
    [{ name: 'x', symbols: {} }, 'symbols must name at least one symbol'],
    [{ name: 'x', symbols: { BTCUSDT: { path: [{ at: 1, change: -1 }] } } }, 'symbols.BTCUSDT is not a unified symbol'],
    [{ name: 'x', symbols: { [BTC]: {} } }, `symbols.${BTC} needs a "path" or a "funding" list`],
    [{ name: 'x', symbols: { [BTC]: { path: [] } } }, `symbols.${BTC}.path must have at least one point`],
    [{ name: 'x', symbols: { [BTC]: { path: [{ at: 10, change: -1 }, { at: 5, change: -2 }] } } }, `symbols.${BTC}.path[1].at must be later than the point before it (10 s), got 5 s`],
    [{ name: 'x', symbols: { [BTC]: { path: [{ at: 10, change: 'down' }] } } }, `symbols.${BTC}.path[0].change must be a number, got "down"`],
    [{ name: 'x', symbols: { [BTC]: { path: [{ at: 10, change: -100 }] } } }, `symbols.${BTC}.path[0].change must be from -99 to 900, got -100`],
    [{ name: 'x', symbols: { [BTC]: { path: [{ at: 10 }] } } }, `symbols.${BTC}.path[0].change is missing`],
    [{ name: 'x', symbols: { [BTC]: { path: [{ at: 0, change: -5 }] } } }, `symbols.${BTC}.path[0].change must be 0 at 0 s`],
    [{ name: 'x', symbols: { [BTC]: { path: [{ at: 10, change: -5, speed: 2 }] } } }, `symbols.${BTC}.path[0].speed is not a scenario field`],
    [{ name: 'x', symbols: { [BTC]: { funding: [{ at: 0, rate: 30 }] } } }, `symbols.${BTC}.funding[0].rate must be from -5 to 5, got 30`],
    [{ name: 'x', symbols: { [BTC]: { funding: [{ at: 0, rate: 0.3 }] } } }, 'durationS is needed when every point is at 0 s'],
    [{ name: 'x', durationS: -1, symbols: crash.symbols }, 'durationS must be from 1 to 604800, got -1'],
    [{ name: 'x', symbol: crash.symbols }, 'symbol is not a scenario field'],
  ])('%j', (raw, message) => {
    expect(refusal(raw)).toContain(message);
  });

  it('names the file that cannot be read or is not JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-scenario-'));
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{ "name": ');
    expect(() => loadScenarioFile(broken)).toThrow(`${broken}: is not valid JSON`);
    expect(() => loadScenarioFile(path.join(dir, 'missing.json'))).toThrow(`${path.join(dir, 'missing.json')}: cannot be read`);
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify(crash));
    expect(loadScenarioFile(good).name).toBe('BTC crash');
  });
});
