import { describe, expect, it } from 'vitest';
import { benchFlatten, flattenLine, type FlattenBenchResult } from './flatten';

const LINE = /^flatten: positions=10 rtt_ms=50 wall_ms=(\d+) ratio=(\d+\.\d{2})$/;

/** The line has the form, and its R is its W over the 50 ms round trip, to two decimals; returns W. */
function printedWallMs(line: string): number {
  const match = LINE.exec(line);
  expect(match, line).not.toBeNull();
  const [wallMs, ratio] = [Number(match![1]), match![2]];
  expect(ratio, line).toBe((wallMs / 50).toFixed(2));
  return wallMs;
}

const measured = (wallMs: number): FlattenBenchResult => ({ positions: 10, rttMs: 50, wallMs, runsMs: [wallMs], warmUpMs: wallMs });

describe('the flatten benchmark line', () => {
  it.each([
    [136.4, 'wall_ms=136 ratio=2.72'],
    [128.6, 'wall_ms=129 ratio=2.58'],
    [150, 'wall_ms=150 ratio=3.00'],
    [49.7, 'wall_ms=50 ratio=1.00'],
  ])('computes R from the W it prints (median %f ms)', (wallMs, figures) => {
    const line = flattenLine(measured(wallMs));
    expect(line).toBe(`flatten: positions=10 rtt_ms=50 ${figures}`);
    expect(printedWallMs(line)).toBe(Math.round(wallMs));
  });

  it('a one-run benchmark against the venue process flattens ten positions and prints the line', async () => {
    const result = await benchFlatten({ runs: 1 });
    expect(result.runsMs).toHaveLength(1);
    const line = flattenLine(result);
    process.stdout.write(`${line}\n`);
    expect(printedWallMs(line)).toBe(Math.round(result.wallMs));
  }, 20_000);
});
