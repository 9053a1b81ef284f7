import { armed, type Breaker } from './breaker';

/**
 * After N losing trades in a row, no new entries for the cooldown, counted from the last loss.
 * Once the cooldown is over the count starts again: N more losses start the next one.
 */
export const consecutiveLosses: Breaker = {
  id: 'consecutive-losses',
  label: 'Consecutive losses',
  action: 'block-entries',
  unit: 'count',
  kind: 'latch',
  rebaseOnReset: 'streak',
  rebaseOnRearm: 'streak',
  threshold: (settings) => settings.breakers.consecutiveLosses,
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const { count, lastLossAt } = snapshot.lossStreak;
    const until = lastLossAt === null ? null : lastLossAt + settings.breakers.cooldownMinutes * 60_000;
    if (count < threshold || until === null || until <= snapshot.now) return armed(count, threshold);
    return {
      action: 'block-entries',
      reason: `${count} losing trades in a row: ${settings.breakers.cooldownMinutes}-minute cooldown`,
      value: count,
      threshold,
      until,
    };
  },
};
