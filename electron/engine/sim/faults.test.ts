import { describe, expect, it } from 'vitest';
import { FaultInjector, NO_FAULTS, parseFaultSpec } from './faults';

describe('fault spec', () => {
  it('is empty when no spec is given', () => {
    expect(parseFaultSpec(undefined)).toEqual(NO_FAULTS);
    expect(parseFaultSpec('  ')).toEqual(NO_FAULTS);
  });

  it('reads every key', () => {
    expect(parseFaultSpec('latency=50,jitter=10,5xx=0.1,429=0.2,1021=0.05,hang=0.15,timeout=0.1,wsdrop=0.01')).toEqual({
      latencyMs: 50,
      jitterMs: 10,
      serverError: 0.1,
      rateLimit: 0.2,
      timestamp: 0.05,
      hang: 0.15,
      timeoutAfterAccept: 0.1,
      wsDrop: 0.01,
    });
  });

  it.each(['bogus=1', '5xx', '5xx=2', 'latency=-1', '5xx=abc', '5xx=0.6,429=0.6', '5xx=0.5,hang=0.6', 'hang=1.5', 'latency=1=2'])('rejects "%s" with a clear message', (spec) => {
    expect(() => parseFaultSpec(spec)).toThrow(/Bad fault spec/);
  });
});

describe('fault injector', () => {
  it('never fails without faults', () => {
    const injector = new FaultInjector(NO_FAULTS, 1);
    for (let i = 0; i < 1000; i++) {
      expect(injector.requestFault()).toBeNull();
      expect(injector.loseResponse()).toBe(false);
      expect(injector.dropSocket()).toBe(false);
      expect(injector.latency()).toBe(0);
    }
  });

  it('fails about the requested fraction, split by kind, and repeats under the same seed', () => {
    const run = (seed: number) => {
      const injector = FaultInjector.fromSpec('5xx=0.1,429=0.1,1021=0.1,hang=0.1', seed);
      return Array.from({ length: 10_000 }, () => injector.requestFault());
    };
    const outcomes = run(7);
    const share = (kind: string | null) => outcomes.filter((o) => o === kind).length / outcomes.length;
    for (const kind of ['5xx', '429', '1021', 'hang'] as const) expect(share(kind)).toBeGreaterThan(0.08), expect(share(kind)).toBeLessThan(0.12);
    expect(share(null)).toBeGreaterThan(0.57);
    expect(share(null)).toBeLessThan(0.63);
    expect(run(7)).toEqual(outcomes);
    expect(run(8)).not.toEqual(outcomes);
  });

  it('adds fixed latency plus bounded jitter', () => {
    const injector = FaultInjector.fromSpec('latency=50,jitter=10', 3);
    const samples = Array.from({ length: 500 }, () => injector.latency());
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...samples)).toBeLessThan(60);
    expect(new Set(samples).size).toBeGreaterThan(100);
  });
});
