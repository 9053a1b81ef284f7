import { describe, expect, it } from 'vitest';
import { consecutiveLosses } from './consecutive-losses';
import { NOW, settingsWith, snapshot } from './snapshot.fixture';

const settings = settingsWith();
const MIN = 60_000;

describe('consecutive losses (default 3 in a row, 60-minute cooldown)', () => {
  it('two losses in a row do not trip it', () => {
    expect(consecutiveLosses.evaluate(snapshot({ lossStreak: { count: 2, lastLossAt: NOW } }), settings)).toMatchObject({ action: 'none', value: 2, threshold: 3 });
  });

  it('the third loss starts a 60-minute cooldown from that loss', () => {
    const lastLossAt = NOW - 10 * MIN;
    const verdict = consecutiveLosses.evaluate(snapshot({ lossStreak: { count: 3, lastLossAt } }), settings);
    expect(verdict).toMatchObject({ action: 'block-entries', value: 3, until: lastLossAt + 60 * MIN });
  });

  it('re-arms once the cooldown has passed', () => {
    expect(consecutiveLosses.evaluate(snapshot({ lossStreak: { count: 3, lastLossAt: NOW - 60 * MIN } }), settings).action).toBe('none');
  });

  it('follows the configured count and cooldown', () => {
    const custom = settingsWith({ consecutiveLosses: 5, cooldownMinutes: 120 });
    expect(consecutiveLosses.evaluate(snapshot({ lossStreak: { count: 4, lastLossAt: NOW } }), custom).action).toBe('none');
    expect(consecutiveLosses.evaluate(snapshot({ lossStreak: { count: 5, lastLossAt: NOW - 90 * MIN } }), custom)).toMatchObject({
      action: 'block-entries',
      until: NOW + 30 * MIN,
    });
  });
});
