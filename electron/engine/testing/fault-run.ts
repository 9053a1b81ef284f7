import { randomInt } from 'node:crypto';

/** The seed and length of one randomized fault run, and how to run it again. */
export interface FaultRun {
  seed: number;
  steps: number;
  /** The command that replays this run: the same seed deals the same faults, prices and choices. */
  replay: string;
}

const DEFAULT_STEPS = 200;

function wholeNumber(name: string, raw: string | undefined, fallback: () => number, min: number): number {
  if (raw === undefined || raw.trim() === '') return fallback();
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  return value;
}

/**
 * Reads `COCKPIT_FAULT_SEED` (default: a fresh seed per run) and `COCKPIT_FAULT_STEPS`
 * (default 200) for the randomized fault test; a bad value is a clear error.
 */
export function faultRun(env: NodeJS.ProcessEnv, testFile: string): FaultRun {
  const seed = wholeNumber('COCKPIT_FAULT_SEED', env.COCKPIT_FAULT_SEED, () => randomInt(1, 2 ** 31), 0);
  const steps = wholeNumber('COCKPIT_FAULT_STEPS', env.COCKPIT_FAULT_STEPS, () => DEFAULT_STEPS, 1);
  const stepsPart = steps === DEFAULT_STEPS ? '' : ` COCKPIT_FAULT_STEPS=${steps}`;
  return { seed, steps, replay: `COCKPIT_FAULT_SEED=${seed}${stepsPart} npx vitest run ${testFile} -t "under injected faults"` };
}

/** A small deterministic PRNG (LCG), so each of a run's choices follows from its seed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
