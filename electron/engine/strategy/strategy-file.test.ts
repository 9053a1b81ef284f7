import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStrategyFile } from './strategy-file';

const dir = mkdtempSync(path.join(os.tmpdir(), 'strategy-file-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

const TS_STRATEGY = `
import { SMA } from 'trading-signals';
import type { Candle } from '${path.resolve(import.meta.dirname, '../../../shared/domain')}';
interface Params { period?: number }
export default function build(params: Params) {
  const period: number = params.period ?? 3;
  return {
    id: 'file-sma',
    label: 'SMA from a file',
    timeframe: '1m' as const,
    warmup: period,
    forSymbol(symbol: string) {
      const sma = new SMA(period);
      return {
        onCandle(c: Candle) {
          sma.add(c.close);
          const avg = sma.getResult();
          return avg !== null && c.close > avg ? { symbol, side: 'long' as const, entry: c.close, stop: c.close * 0.98, takeProfit: c.close * 1.04, reason: 'above SMA' } : null;
        },
      };
    },
  };
}
`;

describe('a strategy file', () => {
  it('loads a TypeScript default export, bundling its imports, and gives its builder the parameters', async () => {
    const strategy = await loadStrategyFile(file('sma.ts', TS_STRATEGY), { period: 2 });
    expect(strategy).toMatchObject({ id: 'file-sma', timeframe: '1m', warmup: 2 });
    const s = strategy.forSymbol('BTC/USDT:USDT');
    const bar = (close: number) => ({ time: 0, open: close, high: close, low: close, close, volume: 1 });
    expect(s.onCandle(bar(100), { equity: 1, drawdownPct: 0, maxLeverage: 5 })).toBeNull();
    expect(s.onCandle(bar(100), { equity: 1, drawdownPct: 0, maxLeverage: 5 })).toBeNull();
    expect(s.onCandle(bar(110), { equity: 1, drawdownPct: 0, maxLeverage: 5 })).toMatchObject({ side: 'long', reason: 'above SMA' });
  });

  it('loads a .mjs strategy object', async () => {
    const strategy = await loadStrategyFile(file('plain.mjs', `export default { id: 'plain', label: 'Plain', timeframe: '5m', warmup: 0, forSymbol: () => ({ onCandle: () => null }) };`));
    expect(strategy).toMatchObject({ id: 'plain', timeframe: '5m' });
  });

  it('explains a broken file instead of throwing a stack trace', async () => {
    await expect(loadStrategyFile(file('broken.ts', 'export default {\n  id: "x",\n  label: \n};\n'))).rejects.toThrow(/^Strategy file .*broken\.ts: does not compile: line 4:0: /);
    await expect(loadStrategyFile(file('none.mjs', 'export const x = 1;'))).rejects.toThrow(/none\.mjs: has no default export/);
    await expect(loadStrategyFile(file('shape.mjs', "export default { id: 'x', label: 'x', timeframe: '7m', warmup: -1 };"))).rejects.toThrow(
      /shape\.mjs: timeframe must be one of .*, got "7m"; warmup must be a whole number of candles, got -1; forSymbol\(symbol\) must be a function/,
    );
    await expect(loadStrategyFile(file('throws.mjs', "export default () => { throw new Error('no config'); };"))).rejects.toThrow(/throws\.mjs: its default export threw: no config/);
    await expect(loadStrategyFile(file('params.mjs', "export default { id: 'p', label: 'p', timeframe: '1m', warmup: 0, forSymbol: () => ({ onCandle: () => null }) };"), { period: 3 })).rejects.toThrow(
      /takes no parameters \(given period\)/,
    );
    await expect(loadStrategyFile(file('wrong.txt', ''))).rejects.toThrow(/must be a \.ts, \.js or \.mjs file/);
  });
});
