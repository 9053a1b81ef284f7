import { describe, expect, it } from 'vitest';
import type { StrategyStatus } from '../../../shared/domain';
import { haltedReason } from './strategy-halt';

const status = (over: Partial<StrategyStatus>): StrategyStatus => ({
  id: 'trend-pullback',
  label: 'Trend pullback',
  enabled: true,
  auto: false,
  running: true,
  haltedReason: null,
  lastError: null,
  ...over,
});

describe('haltedReason', () => {
  it('is the engine’s reason while an enabled strategy is halted', () => {
    expect(haltedReason([status({ running: false, haltedReason: 'Flatten: panic button' })])).toBe('Flatten: panic button');
  });

  it('is null when they run, or when only disabled strategies carry a halt', () => {
    expect(haltedReason([status({})])).toBeNull();
    expect(haltedReason([status({ enabled: false, running: false, haltedReason: 'Flatten: x' })])).toBeNull();
    expect(haltedReason([])).toBeNull();
  });
});
