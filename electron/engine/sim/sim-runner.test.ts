import { describe, expect, it } from 'vitest';
import type { SimExchange } from './types';
import { createSimRunner, maxSpeedUntil, OPEN_ENDED_MAX_RUN_MS, parseSpeed, type RunnerTimers } from './sim-runner';

/** Just the clock of a simulator: enough to see what the runner asks of it. */
function clockOnly(start: number) {
  let time = start;
  const calls: number[] = [];
  const sim = {
    now: () => time,
    advanceTo: (t: number) => {
      calls.push(t);
      time = Math.max(time, t);
    },
  } as unknown as SimExchange;
  return { sim, calls };
}

function manualTimers() {
  const queue: { callback: () => void; ms: number }[] = [];
  const timers: RunnerTimers = {
    setTimeout: (callback, ms) => {
      const entry = { callback, ms };
      queue.push(entry);
      return entry;
    },
    clearTimeout: (handle) => {
      const i = queue.indexOf(handle as (typeof queue)[number]);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  return { timers, queue, fire: () => queue.shift()?.callback() };
}

describe('sim runner', () => {
  it('advances the simulated clock with the wall clock at N× speed', () => {
    const { sim, calls } = clockOnly(1_000_000);
    const manual = manualTimers();
    let wall = 50;
    const runner = createSimRunner({ sim, speed: 10, now: () => wall, timers: manual.timers });
    runner.start();
    expect(manual.queue[0]!.ms).toBe(250);
    wall += 250;
    manual.fire();
    wall += 300;
    manual.fire();
    expect(calls).toEqual([1_002_500, 1_005_500]);
    runner.stop();
    expect(runner.running).toBe(false);
    expect(manual.queue).toEqual([]);
  });

  it('runs as fast as possible up to the end in chunks, then says it is done', () => {
    const { sim, calls } = clockOnly(0);
    const manual = manualTimers();
    let done = 0;
    const runner = createSimRunner({ sim, speed: 'max', until: 2_500, chunkMs: 1_000, timers: manual.timers, onDone: () => done++ });
    runner.start();
    while (manual.queue.length) manual.fire();
    expect(calls).toEqual([1_000, 2_000, 2_500]);
    expect(done).toBe(1);
    expect(runner.running).toBe(false);
  });

  it('runs max speed to where the feed ends, or one simulated day on a feed without an end', () => {
    expect(maxSpeedUntil(1_000, { next: () => ({ price: 1, volume: 0 }), end: () => 50_000 })).toBe(50_000);
    expect(maxSpeedUntil(1_000, { next: () => ({ price: 1, volume: 0 }) })).toBe(1_000 + OPEN_ENDED_MAX_RUN_MS);
    expect(maxSpeedUntil(1_000)).toBe(1_000 + 24 * 3_600_000);
  });

  it('reads a speed from the command line: max or a number above zero', () => {
    expect(parseSpeed('max')).toBe('max');
    expect(parseSpeed('2.5')).toBe(2.5);
    for (const bad of ['0', '-3', 'fast', '', 'Infinity']) expect(() => parseSpeed(bad)).toThrow(`must be a number above zero or max, got "${bad}"`);
  });

  it('stops and reports when advancing fails', () => {
    const manual = manualTimers();
    const sim = {
      now: () => 0,
      advanceTo: () => {
        throw new Error('feed broke');
      },
    } as unknown as SimExchange;
    const errors: unknown[] = [];
    const runner = createSimRunner({ sim, speed: 1, now: () => 0, timers: manual.timers, onError: (e) => errors.push(e) });
    runner.start();
    manual.fire();
    expect(errors).toEqual([new Error('feed broke')]);
    expect(runner.running).toBe(false);
    expect(manual.queue).toEqual([]);
  });

  it('refuses a bad speed or an endless max run', () => {
    const { sim } = clockOnly(0);
    expect(() => createSimRunner({ sim, speed: 0 })).toThrow(/speed must be a number above zero/);
    expect(() => createSimRunner({ sim, speed: 'max' })).toThrow(/needs a finite `until`/);
  });
});
