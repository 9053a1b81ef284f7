import { describe, expect, it } from 'vitest';
import { MARGIN_RATIO_HOLD_MS, marginRatio } from './margin-ratio';
import { NOW, position, settingsWith, snapshot } from './snapshot.fixture';

const settings = settingsWith();

describe('margin ratio (warn 50%, emergency 80%, cut 30%)', () => {
  it('is quiet below the warning level and warns from it', () => {
    expect(marginRatio.evaluate(snapshot({ positions: [position({ marginRatioPct: 49.9 })] }), settings)).toMatchObject({ action: 'none', value: 49.9 });
    expect(marginRatio.evaluate(snapshot({ positions: [position({ marginRatioPct: 50 })] }), settings)).toMatchObject({ action: 'none', warning: true });
  });

  it('does nothing yet at 79.9%', () => {
    expect(marginRatio.evaluate(snapshot({ positions: [position({ marginRatioPct: 79.9 })] }), settings).action).toBe('none');
  });

  it('at 80% cuts that isolated position by the configured fraction, and only that one', () => {
    const positions = [position({ symbol: 'BTC/USDT:USDT', marginRatioPct: 80 }), position({ symbol: 'ETH/USDT:USDT', marginRatioPct: 40 })];
    const verdict = marginRatio.evaluate(snapshot({ positions }), settings);
    expect(verdict).toMatchObject({ action: 'reduce', symbols: ['BTC/USDT:USDT'], fraction: 0.3, value: 80, until: NOW + MARGIN_RATIO_HOLD_MS });
    expect(marginRatio.evaluate(snapshot({ positions }), settingsWith({ marginRatioReduceFraction: 0.5 })).fraction).toBe(0.5);
  });

  it('in cross margin the account ratio decides, and every cross position is cut', () => {
    const positions = [
      position({ symbol: 'BTC/USDT:USDT', marginMode: 'cross', marginRatioPct: null }),
      position({ symbol: 'ETH/USDT:USDT', marginMode: 'cross', marginRatioPct: null }),
      position({ symbol: 'SOL/USDT:USDT', marginMode: 'isolated', marginRatioPct: 10 }),
    ];
    expect(marginRatio.evaluate(snapshot({ positions, accountMarginRatioPct: 79 }), settings).action).toBe('none');
    expect(marginRatio.evaluate(snapshot({ positions, accountMarginRatioPct: 85 }), settings)).toMatchObject({
      action: 'reduce',
      symbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT'],
      value: 85,
    });
  });

  it('has nothing to say without positions', () => {
    expect(marginRatio.evaluate(snapshot({ accountMarginRatioPct: 95 }), settings)).toMatchObject({ action: 'none', value: null });
  });
});
