import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { fromDraft, toDraft } from './settings-form';

describe('settings form', () => {
  it('round-trips the defaults unchanged', () => {
    expect(fromDraft(toDraft(DEFAULT_SETTINGS), DEFAULT_SETTINGS)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });

  it('reads edited numbers, toggles, selects and symbols', () => {
    const draft = {
      ...toDraft(DEFAULT_SETTINGS),
      'risk.riskPerTrade': '0.005',
      'risk.marginMode': 'cross',
      'strategies.1.enabled': true,
      symbols: 'btc/usdt:usdt, ETH/USDT:USDT',
    };
    const parsed = fromDraft(draft, DEFAULT_SETTINGS);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.settings.risk.riskPerTrade).toBe(0.005);
      expect(parsed.settings.risk.marginMode).toBe('cross');
      expect(parsed.settings.strategies[1]?.enabled).toBe(true);
      expect(parsed.settings.symbols).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    }
  });

  it('reads the system-wide panic chord as typed, and refuses one that collides with the window’s own shortcuts at its field', () => {
    const chosen = fromDraft({ ...toDraft(DEFAULT_SETTINGS), 'shortcuts.globalPanic': ' Ctrl+Alt+P ' }, DEFAULT_SETTINGS);
    expect(chosen.ok && chosen.settings.shortcuts.globalPanic).toBe('Ctrl+Alt+P');
    expect(fromDraft({ ...toDraft(DEFAULT_SETTINGS), 'shortcuts.globalPanic': 'Ctrl+Shift+X' }, DEFAULT_SETTINGS)).toEqual({
      ok: false,
      fields: { 'shortcuts.globalPanic': expect.stringContaining('collides with CommandOrControl+Shift+X (the in-window panic)') },
    });
  });

  it('leaves a strategy’s own risk per trade out when its field is empty, and reads it when filled', () => {
    const draft = toDraft(DEFAULT_SETTINGS);
    expect(draft['strategies.1.riskPerTrade']).toBe('');
    const filled = fromDraft({ ...draft, 'strategies.1.riskPerTrade': '0.015' }, DEFAULT_SETTINGS);
    expect(filled.ok && filled.settings.strategies[1]?.riskPerTrade).toBe(0.015);
    const saved = filled.ok ? filled.settings : DEFAULT_SETTINGS;
    const emptied = fromDraft({ ...toDraft(saved), 'strategies.1.riskPerTrade': ' ' }, saved);
    expect(emptied.ok && 'riskPerTrade' in emptied.settings.strategies[1]!).toBe(false);
    const wrong = fromDraft({ ...draft, 'strategies.1.riskPerTrade': 'half' }, DEFAULT_SETTINGS);
    expect(!wrong.ok && wrong.fields['strategies.1.riskPerTrade']).toBe('enter a number');
  });

  it('puts each invalid value at its field, with the schema message', () => {
    const parsed = fromDraft(
      { ...toDraft(DEFAULT_SETTINGS), 'risk.riskPerTrade': '0.5', 'risk.maxLeverage': 'lots' },
      DEFAULT_SETTINGS,
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.fields['risk.riskPerTrade']).toMatch(/0\.05/);
      expect(parsed.fields['risk.maxLeverage']).toBe('enter a number');
    }
  });

  it('puts a rule between two fields at the field it names', () => {
    const parsed = fromDraft({ ...toDraft(DEFAULT_SETTINGS), 'breakers.marginRatioEmergencyPct': '40' }, DEFAULT_SETTINGS);
    expect(parsed).toEqual({ ok: false, fields: { 'breakers.marginRatioEmergencyPct': 'must be above the warning level' } });
  });

  it('refuses leverage above the hard ceiling and a fast SMA not below the slow one', () => {
    const parsed = fromDraft({ ...toDraft(DEFAULT_SETTINGS), 'risk.maxLeverage': '50', 'strategies.0.smaFast': '40' }, DEFAULT_SETTINGS);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.fields['risk.maxLeverage']).toMatch(/20/);
      expect(parsed.fields['strategies.0.smaFast']).toBe('must be below the slow SMA period');
    }
  });

  it('names the symbol that is not a unified symbol, and refuses an empty list', () => {
    const bad = fromDraft({ ...toDraft(DEFAULT_SETTINGS), symbols: 'BTC/USDT:USDT, BTCUSDT' }, DEFAULT_SETTINGS);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.fields.symbols).toMatch(/^BTCUSDT: .*unified symbol/);
    const empty = fromDraft({ ...toDraft(DEFAULT_SETTINGS), symbols: ' ' }, DEFAULT_SETTINGS);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.fields.symbols).toBeTruthy();
  });
});
