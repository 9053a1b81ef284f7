import type { PriceFeed, SimExchange } from './types';

/** A clock speed: simulated milliseconds per wall-clock millisecond, or `max` for as fast as possible. */
export type SimSpeed = number | 'max';

/** How far `max` speed runs on a feed that never ends (synthetic prices): one simulated day. */
export const OPEN_ENDED_MAX_RUN_MS = 24 * 3_600_000;

/**
 * Where a `max` speed run starting at `from` stops: where the feed's data ends (the last bar of a
 * replay), or {@link OPEN_ENDED_MAX_RUN_MS} later for a feed without an end, so it never spins forever.
 */
export function maxSpeedUntil(from: number, feed?: PriceFeed): number {
  return feed?.end?.() ?? from + OPEN_ENDED_MAX_RUN_MS;
}

/** Reads a speed as the command lines write it: `max`, or a number above zero. Throws a message naming the rule. */
export function parseSpeed(raw: string): SimSpeed {
  if (raw.trim() === 'max') return 'max';
  const speed = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(speed) || speed <= 0) throw new Error(`must be a number above zero or max, got "${raw}"`);
  return speed;
}

/** The timer functions the runner uses; tests pass their own to step it by hand. */
export interface RunnerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SimRunnerOptions {
  sim: SimExchange;
  /**
   * Simulated milliseconds per wall-clock millisecond (1 = real time, 60 = a minute per second),
   * or `max` to run as fast as possible up to `until`.
   */
  speed: SimSpeed;
  /** Wall-clock milliseconds between advances in timed mode (default 250). */
  intervalMs?: number;
  /** Where `max` speed stops. Required for `max`. */
  until?: number;
  /** Simulated milliseconds advanced per step at `max` speed, before yielding to the event loop, so requests (a flatten) are served between steps (default 5 min). */
  chunkMs?: number;
  /** The wall clock (default Date.now). */
  now?: () => number;
  timers?: RunnerTimers;
  /** Called when advancing throws (a broken feed); the runner stops. Without it the error is rethrown. */
  onError?: (error: unknown) => void;
  /** Called once `max` speed reaches `until`. */
  onDone?: () => void;
}

/** Drives a {@link SimExchange}'s clock from the wall clock, at N× speed or as fast as possible. */
export interface SimRunner {
  start(): void;
  stop(): void;
  readonly running: boolean;
}

const defaultTimers: RunnerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createSimRunner(options: SimRunnerOptions): SimRunner {
  const { sim, speed } = options;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? defaultTimers;
  const intervalMs = options.intervalMs ?? 250;
  const chunkMs = options.chunkMs ?? 5 * 60_000;
  if (speed === 'max') {
    if (options.until === undefined || !Number.isFinite(options.until)) throw new Error('Sim runner: max speed needs a finite `until` time');
  } else if (!Number.isFinite(speed) || speed <= 0) {
    throw new Error(`Sim runner: speed must be a number above zero or 'max', got ${speed}`);
  }
  if (!(intervalMs > 0) || !(chunkMs > 0)) throw new Error('Sim runner: intervalMs and chunkMs must be above zero');

  let handle: unknown = null;
  let running = false;
  let wallStart = 0;
  let simStart = 0;

  const stop = () => {
    running = false;
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
  };

  const step = () => {
    handle = null;
    if (!running) return;
    try {
      if (speed === 'max') {
        const target = Math.min(sim.now() + chunkMs, options.until!);
        sim.advanceTo(target);
        if (target >= options.until!) {
          stop();
          options.onDone?.();
          return;
        }
      } else {
        sim.advanceTo(simStart + (now() - wallStart) * speed);
      }
    } catch (error) {
      stop();
      if (options.onError) options.onError(error);
      else
        queueMicrotask(() => {
          throw error;
        });
      return;
    }
    if (running) handle = timers.setTimeout(step, speed === 'max' ? 0 : intervalMs);
  };

  return {
    start() {
      if (running) return;
      running = true;
      wallStart = now();
      simStart = sim.now();
      handle = timers.setTimeout(step, speed === 'max' ? 0 : intervalMs);
    },
    stop,
    get running() {
      return running;
    },
  };
}
