import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { applyPreset, describePresetChanges, presetOf, RISK_PRESETS } from './risk-presets';
import { fromDraft, toDraft } from './settings-form';

const defaults = toDraft(DEFAULT_SETTINGS);

describe('risk presets by experience', () => {
  it('are the guide’s figures: beginner 1.5x and 0.5%, intermediate 2.5x and 1%, experienced 5x and 2%', () => {
    expect(RISK_PRESETS.map((p) => [p.id, p.maxLeverage, p.riskPerTrade])).toEqual([
      ['beginner', 1.5, 0.005],
      ['intermediate', 2.5, 0.01],
      ['experienced', 5, 0.02],
    ]);
  });

  it('fill the leverage cap and the risk per trade, say what changed, and leave every other field alone', () => {
    const { draft, changes } = applyPreset(defaults, 'beginner');
    expect(draft['risk.maxLeverage']).toBe('1.5');
    expect(draft['risk.riskPerTrade']).toBe('0.005');
    expect({ ...draft, 'risk.maxLeverage': defaults['risk.maxLeverage'], 'risk.riskPerTrade': defaults['risk.riskPerTrade'] }).toEqual(defaults);
    expect(changes).toEqual([
      { path: 'risk.maxLeverage', label: 'max leverage', from: '5x', to: '1.5x' },
      { path: 'risk.riskPerTrade', label: 'risk per trade', from: '1%', to: '0.5%' },
    ]);
    expect(describePresetChanges('beginner', changes)).toBe('Beginner: max leverage 5x → 1.5x, risk per trade 1% → 0.5%. Save to apply.');
  });

  it('name only the fields that change, and say so when none does', () => {
    const { changes } = applyPreset(defaults, 'experienced');
    expect(changes.map((c) => c.path)).toEqual(['risk.riskPerTrade']);
    const again = applyPreset(applyPreset(defaults, 'experienced').draft, 'experienced');
    expect(describePresetChanges('experienced', again.changes)).toBe('Experienced: the fields already hold its figures.');
  });

  it('show what an empty or mistyped field held before', () => {
    const { changes } = applyPreset({ ...defaults, 'risk.maxLeverage': '', 'risk.riskPerTrade': 'lots' }, 'intermediate');
    expect(changes.map((c) => [c.from, c.to])).toEqual([
      ['empty', '2.5x'],
      ['lots', '1%'],
    ]);
  });

  it('refuse a preset that does not exist', () => {
    expect(() => applyPreset(defaults, 'reckless' as never)).toThrow(/no risk preset "reckless"/);
  });

  it('are recognised in the form, and any other figures are custom', () => {
    expect(presetOf(defaults)).toBe('custom');
    for (const preset of RISK_PRESETS) expect(presetOf(applyPreset(defaults, preset.id).draft)).toBe(preset.id);
    expect(presetOf({ ...applyPreset(defaults, 'beginner').draft, 'risk.maxLeverage': '2' })).toBe('custom');
    expect(presetOf({ ...defaults, 'risk.maxLeverage': '', 'risk.riskPerTrade': '' })).toBe('custom');
  });

  it('are settings the schema accepts: the beginner’s 1.5x cap is a valid max leverage', () => {
    for (const preset of RISK_PRESETS) {
      const parsed = fromDraft(applyPreset(defaults, preset.id).draft, DEFAULT_SETTINGS);
      expect(parsed.ok && [parsed.settings.risk.maxLeverage, parsed.settings.risk.riskPerTrade]).toEqual([preset.maxLeverage, preset.riskPerTrade]);
    }
  });
});
