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

describe('fault schedule', () => {
  const spec = '5xx=0.2,429=0.1,timeout=0.3,wsdrop=0.2,jitter=5';

  it('deals the nth request, order change and frame the same faults under one seed, however the draws interleave', () => {
    const interleaved = FaultInjector.fromSpec(spec, 42);
    for (let i = 0; i < 200; i++) {
      interleaved.latency();
      interleaved.requestFault();
      if (i % 3 === 0) interleaved.loseResponse();
      interleaved.dropSocket();
      interleaved.dropSocket();
    }
    const grouped = FaultInjector.fromSpec(spec, 42);
    for (let i = 0; i < 400; i++) grouped.dropSocket();
    for (let i = 0; i < 67; i++) grouped.loseResponse();
    for (let i = 0; i < 200; i++) grouped.requestFault();
    const byKind = (injector: FaultInjector) => [...injector.injected()].sort((a, b) => a.kind.localeCompare(b.kind) || a.at - b.at);
    expect(byKind(grouped)).toEqual(byKind(interleaved));
    expect(grouped.schedule()).toBe(interleaved.schedule());
  });

  it('says what it dealt, by kind and position, and differs by seed', () => {
    const deal = (seed: number) => {
      const injector = FaultInjector.fromSpec(spec, seed);
      for (let i = 0; i < 50; i++) injector.requestFault(), injector.loseResponse(), injector.dropSocket();
      return injector;
    };
    const dealt = deal(7);
    const schedule = dealt.schedule().split('\n');
    expect(schedule[0]).toBe('50 requests, 50 accepted order changes, 50 pushed frames');
    const fiveXx = dealt.injected().filter((f) => f.kind === '5xx').map((f) => f.at);
    expect(fiveXx.length).toBeGreaterThan(0);
    expect(schedule).toContain(`5xx at request ${fiveXx.join(', ')}`);
    expect(schedule.some((line) => line.startsWith('timeout at order change '))).toBe(true);
    expect(schedule.some((line) => line.startsWith('wsdrop at frame '))).toBe(true);
    expect(deal(7).schedule()).toBe(dealt.schedule());
    expect(deal(8).schedule()).not.toBe(dealt.schedule());
  });
});
