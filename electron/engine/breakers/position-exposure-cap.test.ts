import { describe, expect, it } from 'vitest';
import { positionExposureCap } from './position-exposure-cap';
import { entry, position, settingsWith, snapshot } from './snapshot.fixture';

const settings = settingsWith();

describe('one-position cap (default 20% of equity in margin)', () => {
  it('lets a 20% position through and blocks a 20.01% one', () => {
    expect(positionExposureCap.evaluate(snapshot({ entry: entry({ margin: 2_000 }) }), settings)).toMatchObject({ action: 'none', value: 20 });
    expect(positionExposureCap.evaluate(snapshot({ entry: entry({ margin: 2_001 }) }), settings).action).toBe('block-entries');
  });

  it('counts what is already open on the same symbol', () => {
    const positions = [position({ symbol: 'ETH/USDT:USDT', margin: 1_500 })];
    expect(positionExposureCap.evaluate(snapshot({ positions, entry: entry({ margin: 600 }) }), settings).action).toBe('block-entries');
    expect(positionExposureCap.evaluate(snapshot({ positions, entry: entry({ symbol: 'XRP/USDT:USDT', margin: 600 }) }), settings).action).toBe('none');
  });

  it('shows the largest position, with a warning when one is at the cap', () => {
    const verdict = positionExposureCap.evaluate(snapshot({ positions: [position({ margin: 2_000 }), position({ symbol: 'ETH/USDT:USDT', margin: 500 })] }), settings);
    expect(verdict).toMatchObject({ action: 'none', value: 20, warning: true });
  });
});
