import { describe, expect, it } from 'vitest';
import { faultRun, prng } from './fault-run';

describe('a randomized fault run', () => {
  it('takes its seed and steps from the environment and says how to replay them', () => {
    expect(faultRun({ COCKPIT_FAULT_SEED: '1234', COCKPIT_FAULT_STEPS: '1000' }, 'a.test.ts')).toEqual({
      seed: 1234,
      steps: 1000,
      replay: 'COCKPIT_FAULT_SEED=1234 COCKPIT_FAULT_STEPS=1000 npx vitest run a.test.ts -t "under injected faults"',
    });
    expect(faultRun({ COCKPIT_FAULT_SEED: '7' }, 'a.test.ts')).toMatchObject({ seed: 7, steps: 200, replay: 'COCKPIT_FAULT_SEED=7 npx vitest run a.test.ts -t "under injected faults"' });
  });

  it('draws a fresh seed per run when none is given', () => {
    const seeds = new Set(Array.from({ length: 20 }, () => faultRun({}, 'a.test.ts').seed));
    expect(seeds.size).toBeGreaterThan(1);
    for (const seed of seeds) expect(Number.isSafeInteger(seed) && seed > 0).toBe(true);
  });

  it.each([
    ['COCKPIT_FAULT_SEED', 'abc'],
    ['COCKPIT_FAULT_SEED', '-1'],
    ['COCKPIT_FAULT_SEED', '1.5'],
    ['COCKPIT_FAULT_STEPS', '0'],
  ])('refuses %s=%s with a clear message', (name, value) => {
    expect(() => faultRun({ [name]: value }, 'a.test.ts')).toThrow(`${name} must be a whole number`);
  });

  it('repeats its choices under one seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, prng(seed));
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });
});
