import { describe, expect, it } from 'vitest';
import { benchBreakerReactions, percentile, reactionLine } from './breaker-reaction';

describe('the breaker reaction benchmark', () => {
  it('prints nearest-rank percentiles of its samples', () => {
    const samples = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(25);
    expect(percentile(samples, 99)).toBe(50);
    expect(reactionLine('breaker_reaction', [80, 60, 70])).toBe('breaker_reaction: p50_ms=70.0 p99_ms=80.0 samples=3');
  });

  it('a one-sample run against the venue process measures each breaker from the mark update to its reduce-only order', async () => {
    const lines = await benchBreakerReactions({ samples: 1 });
    expect(lines.map((line) => line.split(':')[0])).toEqual(['breaker_reaction', 'margin_cut_reaction', 'drawdown_flatten_reaction']);
    for (const line of lines) {
      const match = /: p50_ms=([\d.]+) p99_ms=([\d.]+) samples=1$/.exec(line);
      expect(match, line).not.toBeNull();
      // the order cannot reach the venue before its injected 50 ms have passed
      expect(Number(match![1]), line).toBeGreaterThanOrEqual(50);
    }
  }, 120_000);
});
