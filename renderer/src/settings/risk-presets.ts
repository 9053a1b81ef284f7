import type { SettingsDraft } from './settings-form';

/** The leverage guide's sizing by experience: a leverage cap and a risk per trade for each level. */
export interface RiskPreset {
  id: 'beginner' | 'intermediate' | 'experienced';
  label: string;
  /** The user's leverage cap (`risk.maxLeverage`). */
  maxLeverage: number;
  /** The global risk per trade, as a fraction of equity (`risk.riskPerTrade`). */
  riskPerTrade: number;
}

export const RISK_PRESETS: readonly RiskPreset[] = [
  { id: 'beginner', label: 'Beginner', maxLeverage: 1.5, riskPerTrade: 0.005 },
  { id: 'intermediate', label: 'Intermediate', maxLeverage: 2.5, riskPerTrade: 0.01 },
  { id: 'experienced', label: 'Experienced', maxLeverage: 5, riskPerTrade: 0.02 },
];

export type PresetChoice = RiskPreset['id'] | 'custom';

/** The settings a preset fills, with how each is shown. */
const FILLED = [
  { path: 'risk.maxLeverage', label: 'max leverage', key: 'maxLeverage', show: (n: number) => `${n}x` },
  { path: 'risk.riskPerTrade', label: 'risk per trade', key: 'riskPerTrade', show: (n: number) => `${+(n * 100).toFixed(3)}%` },
] as const;

/** One field a preset changed, in the words the form shows. */
export interface PresetChange {
  path: string;
  label: string;
  from: string;
  to: string;
}

/** The preset whose figures the form holds now, or `custom` when the fields match none. */
export function presetOf(draft: SettingsDraft): PresetChoice {
  const match = RISK_PRESETS.find((preset) => FILLED.every((f) => Number(String(draft[f.path] ?? '').trim()) === preset[f.key]));
  return match?.id ?? 'custom';
}

/** Fills a preset's figures into the form; answers the new form and what changed. */
export function applyPreset(draft: SettingsDraft, id: RiskPreset['id']): { draft: SettingsDraft; changes: PresetChange[] } {
  const preset = RISK_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`There is no risk preset "${id}"`);
  const next = { ...draft };
  const changes: PresetChange[] = [];
  for (const field of FILLED) {
    const before = String(draft[field.path] ?? '').trim();
    const value = preset[field.key];
    next[field.path] = String(value);
    if (Number(before) === value && before !== '') continue;
    const was = Number(before);
    changes.push({ path: field.path, label: field.label, from: before !== '' && Number.isFinite(was) ? field.show(was) : before || 'empty', to: field.show(value) });
  }
  return { draft: next, changes };
}

/** What choosing a preset did, in one line: `Beginner: max leverage 5x → 1.5x, risk per trade 1% → 0.5%`. */
export function describePresetChanges(id: RiskPreset['id'], changes: readonly PresetChange[]): string {
  const label = RISK_PRESETS.find((p) => p.id === id)?.label ?? id;
  if (!changes.length) return `${label}: the fields already hold its figures.`;
  return `${label}: ${changes.map((c) => `${c.label} ${c.from} → ${c.to}`).join(', ')}. Save to apply.`;
}
