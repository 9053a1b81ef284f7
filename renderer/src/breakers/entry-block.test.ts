import { describe, expect, it } from 'vitest';
import type { BreakerView } from '../../../shared/domain';
import { approvalBlock, blockingBreakers } from './entry-block';

const breaker = (over: Partial<BreakerView>): BreakerView => ({
  id: 'daily-loss',
  label: 'Daily loss',
  state: 'armed',
  action: 'block-entries',
  value: 1,
  threshold: 5,
  unit: '%',
  reason: null,
  trippedAt: null,
  trippedUntil: null,
  needsReset: false,
  ...over,
});

describe('approval block', () => {
  it('is nothing while every breaker is armed or only warning', () => {
    expect(approvalBlock([breaker({}), breaker({ id: 'm', state: 'warning' })])).toBeNull();
  });

  it('names each tripped breaker that stops entries, with its reason', () => {
    const breakers = [
      breaker({ state: 'tripped', reason: 'lost 5.2% today' }),
      breaker({ id: 'dd', label: 'Drawdown', state: 'tripped', action: 'flatten', reason: null }),
    ];
    expect(blockingBreakers(breakers).map((b) => b.id)).toEqual(['daily-loss', 'dd']);
    expect(approvalBlock(breakers)).toBe('Daily loss: lost 5.2% today; Drawdown: tripped');
  });

  it('ignores a tripped breaker whose action is only a warning', () => {
    expect(approvalBlock([breaker({ state: 'tripped', action: 'none', reason: 'x' })])).toBeNull();
  });
});
