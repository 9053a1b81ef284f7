import { describe, expect, it } from 'vitest';
import { dispatch } from '../dispatch';
import { paperEngine } from '../testing/paper-engine';

type Harness = Awaited<ReturnType<typeof paperEngine>>;
let h: Harness | null = null;

describe('settings.update', () => {
  it('refuses a symbol the exchange does not list, at the symbols field, and keeps the settings in force', async () => {
    h = await paperEngine();
    await h.engine.start();
    const before = await h.engine.handlers['settings.get']({});

    const result = await dispatch(h.engine.handlers, 'settings.update', { settings: { ...before, symbols: ['BTC/USDT:USDT', 'FOO/USDT:USDT'] } });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.type).toBe('invalid-input');
    expect(result.error.fields?.['symbols']).toMatch(/^FOO\/USDT:USDT is not listed on paper\. Available: .*BTC\/USDT:USDT.*ETH\/USDT:USDT/);
    expect(await h.engine.handlers['settings.get']({})).toEqual(before);
    expect(h.journal().some((e) => e.type === 'settings.update')).toBe(false);
  });

  it('saves listed symbols', async () => {
    h = await paperEngine();
    await h.engine.start();
    const before = await h.engine.handlers['settings.get']({});
    const saved = await h.engine.handlers['settings.update']({ settings: { ...before, symbols: ['SOL/USDT:USDT'] } });
    expect(saved.symbols).toEqual(['SOL/USDT:USDT']);
    expect((await h.engine.handlers['settings.get']({})).symbols).toEqual(['SOL/USDT:USDT']);
  });

  it('before the markets load, keeps the symbols in force but will not take a new one unchecked', async () => {
    h = await paperEngine();
    const before = await h.engine.handlers['settings.get']({});
    await expect(h.engine.handlers['settings.update']({ settings: { ...before, risk: { ...before.risk, riskPerTrade: 0.02 } } })).resolves.toMatchObject({ risk: { riskPerTrade: 0.02 } });
    const result = await dispatch(h.engine.handlers, 'settings.update', { settings: { ...before, symbols: [...before.symbols, 'AVAX/USDT:USDT'] } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.fields?.['symbols']).toContain('AVAX/USDT:USDT cannot be checked yet');
  });
});
