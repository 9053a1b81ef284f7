import { describe, expect, it } from 'vitest';
import { liquidationDistance } from './liquidation-distance';
import { entry, position, settingsWith, snapshot } from './snapshot.fixture';

const settings = settingsWith();

describe('distance to liquidation (default 5% of mark)', () => {
  it('does not close at 5.01%, and warns inside twice the distance', () => {
    expect(liquidationDistance.evaluate(snapshot({ positions: [position({ distanceToLiquidationPct: 5.01 })] }), settings)).toMatchObject({
      action: 'none',
      value: 5.01,
      warning: true,
    });
    expect(liquidationDistance.evaluate(snapshot({ positions: [position({ distanceToLiquidationPct: 10.01 })] }), settings).warning).toBeUndefined();
  });

  it('closes the position at 5%, and only that position', () => {
    const positions = [position({ symbol: 'BTC/USDT:USDT', distanceToLiquidationPct: 5 }), position({ symbol: 'ETH/USDT:USDT', distanceToLiquidationPct: 30 })];
    expect(liquidationDistance.evaluate(snapshot({ positions }), settings)).toMatchObject({ action: 'close', symbols: ['BTC/USDT:USDT'], value: 5 });
  });

  it('ignores positions that cannot be liquidated', () => {
    expect(liquidationDistance.evaluate(snapshot({ positions: [position({ distanceToLiquidationPct: null })] }), settings)).toMatchObject({ action: 'none', value: null });
  });

  it('blocks an entry that would open inside the closing distance', () => {
    expect(liquidationDistance.evaluate(snapshot({ entry: entry({ distanceToLiquidationPct: 4 }) }), settings).action).toBe('block-entries');
    expect(liquidationDistance.evaluate(snapshot({ entry: entry({ distanceToLiquidationPct: 12 }) }), settings).action).toBe('none');
  });

  it('follows the configured distance', () => {
    const wide = settingsWith({ liquidationDistancePct: 10 });
    expect(liquidationDistance.evaluate(snapshot({ positions: [position({ distanceToLiquidationPct: 9 })] }), wide).action).toBe('close');
  });
});
