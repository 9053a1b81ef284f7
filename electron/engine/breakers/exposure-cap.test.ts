import { describe, expect, it } from 'vitest';
import { exposureCap } from './exposure-cap';
import { entry, position, settingsWith, snapshot } from './snapshot.fixture';

const settings = settingsWith();
const open = [position({ symbol: 'BTC/USDT:USDT', margin: 2_000 }), position({ symbol: 'SOL/USDT:USDT', margin: 3_000 })];

describe('total exposure cap (default 60% of equity in margin)', () => {
  it('lets an entry that lands exactly on the cap through', () => {
    expect(exposureCap.evaluate(snapshot({ positions: open, entry: entry({ margin: 1_000 }) }), settings)).toMatchObject({ action: 'none', value: 60 });
  });

  it('blocks an entry that would pass the cap, and says by how much', () => {
    const verdict = exposureCap.evaluate(snapshot({ positions: open, entry: entry({ margin: 1_001 }) }), settings);
    expect(verdict.action).toBe('block-entries');
    expect(verdict.value).toBeCloseTo(60.01, 8);
    expect(verdict.reason).toMatch(/60\.01% of equity \(cap 60%\)/);
  });

  it('shows the margin in use next to the cap, and trips once it reaches the cap', () => {
    expect(exposureCap.evaluate(snapshot({ positions: open }), settings)).toMatchObject({ action: 'none', value: 50 });
    expect(exposureCap.evaluate(snapshot({ positions: [...open, position({ symbol: 'XRP/USDT:USDT', margin: 1_000 })] }), settings).action).toBe('block-entries');
  });

  it('blocks entries while equity is unknown', () => {
    expect(exposureCap.evaluate(snapshot({ equity: null, entry: entry() }), settings).action).toBe('block-entries');
    expect(exposureCap.evaluate(snapshot({ equity: null }), settings).action).toBe('none');
  });
});
