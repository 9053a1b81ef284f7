import { describe, expect, it } from 'vitest';
import { barHit, BarOutcome, type BarHit } from './intrabar';

const hit = (dir: number, [open, high, low]: [number, number, number], stop: number, takeProfit: number, liquidation = NaN, r = 1): BarHit =>
  ({ ...barHit({ outcome: BarOutcome.None, last: 0 }, dir, open, high, low, r, stop, takeProfit, liquidation) });

describe('the intrabar fill rule', () => {
  it('takes the stop first when a bar spans both, for a long and for a short', () => {
    expect(hit(1, [100, 110, 90], 95, 105)).toEqual({ outcome: BarOutcome.Stop, last: 95 });
    expect(hit(-1, [100, 110, 90], 105, 95)).toEqual({ outcome: BarOutcome.Stop, last: 105 });
  });

  it('fills a gap past the stop or the take-profit at the open', () => {
    expect(hit(1, [93, 96, 92], 95, 105)).toEqual({ outcome: BarOutcome.Stop, last: 93 });
    expect(hit(-1, [107, 108, 104], 105, 95)).toEqual({ outcome: BarOutcome.Stop, last: 107 });
    expect(hit(1, [106, 107, 96], 95, 105)).toEqual({ outcome: BarOutcome.TakeProfit, last: 106 });
    expect(hit(-1, [94, 104, 93], 105, 95)).toEqual({ outcome: BarOutcome.TakeProfit, last: 94 });
  });

  it('takes the take-profit when only it is reached, and nothing when neither is', () => {
    expect(hit(1, [100, 106, 96], 95, 105)).toEqual({ outcome: BarOutcome.TakeProfit, last: 105 });
    expect(hit(-1, [100, 104, 94], 105, 95)).toEqual({ outcome: BarOutcome.TakeProfit, last: 95 });
    expect(hit(1, [100, 104, 96], 95, 105).outcome).toBe(BarOutcome.None);
  });

  it('liquidates when the mark gaps past the liquidation price, or meets it before the stop', () => {
    expect(hit(1, [85, 86, 84], 95, 105, 88)).toEqual({ outcome: BarOutcome.Liquidation, last: 85 });
    expect(hit(-1, [120, 121, 119], 105, 95, 115)).toEqual({ outcome: BarOutcome.Liquidation, last: 120 });
    expect(hit(1, [100, 101, 90], 95, 105, 97)).toEqual({ outcome: BarOutcome.Liquidation, last: 97 });
    expect(hit(1, [100, 101, 90], 95, 105, 88)).toEqual({ outcome: BarOutcome.Stop, last: 95 });
  });

  it('triggers on the mark: the bar’s prices times the premium factor, filling at the last price then', () => {
    expect(hit(1, [100, 101, 96], 95, 105, NaN, 0.98)).toEqual({ outcome: BarOutcome.Stop, last: 95 / 0.98 });
    expect(hit(1, [100, 101, 96], 95, 105, NaN, 1).outcome).toBe(BarOutcome.None);
  });
});
