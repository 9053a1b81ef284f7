import type { StrategyStatus } from '../../../shared/domain';

/** Why the strategies are halted, when any enabled one is; null while they may run. */
export function haltedReason(strategies: readonly StrategyStatus[]): string | null {
  return strategies.find((s) => s.enabled && s.haltedReason)?.haltedReason ?? null;
}
