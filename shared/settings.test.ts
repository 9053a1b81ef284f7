import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, HARD_LEVERAGE_CEILING, settingsFieldErrors, settingsSchema } from './settings';

const withChange = (patch: (s: typeof DEFAULT_SETTINGS) => void) => {
  const settings = structuredClone(DEFAULT_SETTINGS);
  patch(settings);
  return settingsSchema.safeParse(settings);
};

describe('settings', () => {
  it('defaults are valid and follow the product defaults', () => {
    expect(settingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
    expect(DEFAULT_SETTINGS.risk.maxLeverage).toBe(5);
    expect(DEFAULT_SETTINGS.breakers.dailyLossPct).toBe(5);
    expect(DEFAULT_SETTINGS.breakers.weeklyLossPct).toBe(15);
    expect(DEFAULT_SETTINGS.breakers.maxDrawdownPct).toBe(20);
  });

  it('never allows a leverage cap past the hard ceiling', () => {
    const result = withChange((s) => (s.risk.maxLeverage = HARD_LEVERAGE_CEILING + 1));
    expect(result.success).toBe(false);
    if (!result.success) expect(settingsFieldErrors(result.error)).toHaveProperty('risk.maxLeverage');
  });

  it('puts the message at the field for cross-field rules', () => {
    const warnAboveEmergency = withChange((s) => (s.breakers.marginRatioWarnPct = 90));
    expect(warnAboveEmergency.success).toBe(false);
    if (!warnAboveEmergency.success) expect(settingsFieldErrors(warnAboveEmergency.error)).toHaveProperty('breakers.marginRatioEmergencyPct');
    const fastAboveSlow = withChange((s) => (s.strategies[0]!.smaFast = 40));
    if (!fastAboveSlow.success) expect(settingsFieldErrors(fastAboveSlow.error)).toHaveProperty('strategies.0.smaFast');
    expect(fastAboveSlow.success).toBe(false);
  });

  it('rejects a symbol that is not a unified symbol', () => {
    expect(withChange((s) => (s.symbols = ['BTCUSDT'])).success).toBe(false);
  });

  it('keeps one entry per strategy file, and takes settings saved before strategy files existed', () => {
    const file = { id: 'file:breakout.ts', enabled: true, auto: false, symbols: [], params: { lookback: 20 }, maxConcurrentPositions: 3 };
    expect(withChange((s) => (s.strategyFiles = [file])).success).toBe(true);
    const twice = withChange((s) => (s.strategyFiles = [file, { ...file, enabled: false }]));
    expect(twice.success).toBe(false);
    if (!twice.success) expect(settingsFieldErrors(twice.error)).toEqual({ 'strategyFiles.1.id': 'each strategy file is listed once' });
    expect(withChange((s) => (s.strategyFiles = [{ ...file, id: 'file:../escape.ts' }])).success).toBe(false);
    const { strategyFiles: _omitted, ...older } = structuredClone(DEFAULT_SETTINGS);
    expect(settingsSchema.parse(older).strategyFiles).toEqual([]);
  });
});

describe('the global panic chord setting', () => {
  it('is the deliberate default chord, also for settings saved before it existed', () => {
    const { shortcuts: _none, ...older } = structuredClone(DEFAULT_SETTINGS);
    expect(settingsSchema.parse(older).shortcuts).toEqual({ globalPanic: 'CommandOrControl+Alt+Shift+F' });
  });

  it('refuses a chord that collides with the window’s own shortcuts, at its field', () => {
    const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, shortcuts: { globalPanic: 'Ctrl+Shift+X' } });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(settingsFieldErrors(parsed.error)['shortcuts.globalPanic']).toMatch(/collides with CommandOrControl\+Shift\+X/);
  });
});

describe('a new account', () => {
  it('starts with the conservative trend-pullback strategy on, BTC among its markets, waiting for approval', () => {
    const trend = DEFAULT_SETTINGS.strategies.find((s) => s.id === 'trend-pullback')!;
    expect(trend).toMatchObject({ enabled: true, auto: false });
    expect(DEFAULT_SETTINGS.symbols).toContain('BTC/USDT:USDT');
    expect(DEFAULT_SETTINGS.strategies.find((s) => s.id === 'adaptive-leverage')!.enabled).toBe(false);
  });

  it('has the seeds’ breakers: loss limits stop the strategies, strategies capped at 5x, the volatility flatten off at 8% a day', () => {
    expect(DEFAULT_SETTINGS.breakers).toMatchObject({ lossLimitsHaltStrategies: true, strategyMaxLeverage: 5, volatilityFlattenEnabled: false, volatilityFlattenDailyPct: 8 });
  });

  it('reads settings saved before these breakers existed with their defaults', () => {
    const { lossLimitsHaltStrategies, strategyMaxLeverage, volatilityFlattenEnabled, volatilityFlattenDailyPct, ...older } = DEFAULT_SETTINGS.breakers;
    void [lossLimitsHaltStrategies, strategyMaxLeverage, volatilityFlattenEnabled, volatilityFlattenDailyPct];
    expect(settingsSchema.parse({ ...DEFAULT_SETTINGS, breakers: older }).breakers).toEqual(DEFAULT_SETTINGS.breakers);
  });
});
