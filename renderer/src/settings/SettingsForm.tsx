import { useEffect, useState, type ReactNode } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { Settings } from '../../../shared/settings';
import { FieldError } from '../forms/FieldError';
import { applyPreset, describePresetChanges, presetOf, RISK_PRESETS, type PresetChoice } from './risk-presets';
import { BREAKER_FIELDS, fromDraft, RISK_FIELDS, SHORTCUT_FIELDS, strategyFields, SYMBOLS_PATH, toDraft, type FieldSpec, type SettingsDraft } from './settings-form';

function Field({ spec, value, error, onChange }: { spec: FieldSpec; value: string | boolean | undefined; error: string | undefined; onChange: (v: string | boolean) => void }) {
  const id = `setting-${spec.path}`;
  if (spec.kind === 'boolean') {
    return (
      <label className="check" htmlFor={id}>
        <input id={id} data-testid={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {spec.label}
        <FieldError message={error} />
      </label>
    );
  }
  return (
    <label htmlFor={id}>
      {spec.label} {spec.hint && <span className="muted">({spec.hint})</span>}
      {spec.kind === 'select' ? (
        <select id={id} data-testid={id} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
          {spec.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} data-testid={id} inputMode={spec.kind === 'number' ? 'decimal' : 'text'} value={String(value ?? '')} aria-invalid={!!error} onChange={(e) => onChange(e.target.value)} />
      )}
      <FieldError message={error} />
    </label>
  );
}

/**
 * The guide's risk presets by experience. Choosing one fills the leverage cap
 * and the risk per trade and says what changed; Custom leaves the fields as
 * they are, to be set one by one. The choice shown follows the fields.
 */
function RiskPresetPicker({ choice, note, onChoose }: { choice: PresetChoice; note: string | null; onChoose: (choice: PresetChoice) => void }) {
  return (
    <label className="wide" htmlFor="risk-preset">
      Experience <span className="muted">(fills max leverage and risk per trade)</span>
      <select id="risk-preset" data-testid="risk-preset" value={choice} onChange={(e) => onChoose(e.target.value as PresetChoice)}>
        {RISK_PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}: {p.maxLeverage}x, {+(p.riskPerTrade * 100).toFixed(3)}% per trade
          </option>
        ))}
        <option value="custom">Custom</option>
      </select>
      {note && (
        <span className="muted" data-testid="risk-preset-changes" role="status">
          {note}
        </span>
      )}
    </label>
  );
}

/** Risk, breaker, strategy and symbol settings; each invalid value is refused with a message at its field. */
export function SettingsForm({ api, settings }: { api: CockpitApi; settings: Settings }) {
  const [draft, setDraft] = useState<SettingsDraft>(() => toDraft(settings));
  const [dirty, setDirty] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [presetNote, setPresetNote] = useState<string | null>(null);

  useEffect(() => {
    if (!dirty) setDraft(toDraft(settings));
  }, [settings, dirty]);

  const change = (path: string, value: string | boolean) => {
    setDraft((d) => ({ ...d, [path]: value }));
    setDirty(true);
    setFields(({ [path]: _cleared, ...rest }) => rest);
  };

  const choosePreset = (choice: PresetChoice) => {
    if (choice === 'custom') {
      setPresetNote('Custom: set max leverage and risk per trade below.');
      return;
    }
    const { draft: next, changes } = applyPreset(draft, choice);
    setDraft(next);
    if (changes.length) setDirty(true);
    setFields((f) => Object.fromEntries(Object.entries(f).filter(([path]) => !changes.some((c) => c.path === path))));
    setPresetNote(describePresetChanges(choice, changes));
  };

  const save = async () => {
    const parsed = fromDraft(draft, settings);
    if (!parsed.ok) {
      setFields(parsed.fields);
      setMessage({ tone: 'error', text: `Not saved: ${Object.keys(parsed.fields).length} field(s) need fixing.` });
      return;
    }
    const result = await api.invoke('settings.update', { settings: parsed.settings });
    if (!result.ok) {
      setFields(Object.fromEntries(Object.entries(result.error.fields ?? {}).map(([k, v]) => [k.replace(/^settings\./, ''), v])));
      setMessage({ tone: 'error', text: result.error.message });
      return;
    }
    setFields({});
    setDirty(false);
    setDraft(toDraft(result.value));
    setPresetNote(null);
    setMessage({ tone: 'info', text: 'Settings saved.' });
  };

  const group = (title: string, specs: readonly FieldSpec[], lead?: ReactNode) => (
    <fieldset className="settings-grid">
      <legend>{title}</legend>
      {lead}
      {specs.map((spec) => (
        <Field key={spec.path} spec={spec} value={draft[spec.path]} error={fields[spec.path]} onChange={(v) => change(spec.path, v)} />
      ))}
    </fieldset>
  );

  return (
    <form
      className="settings-form"
      data-testid="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {group('Risk', RISK_FIELDS, <RiskPresetPicker choice={presetOf(draft)} note={presetNote} onChoose={choosePreset} />)}
      {group('Breakers', BREAKER_FIELDS)}
      {group('Panic shortcut', SHORTCUT_FIELDS)}
      {settings.strategies.map((s, i) => (
        <div key={s.id}>{group(`Strategy: ${s.id}`, strategyFields(i))}</div>
      ))}
      <fieldset className="settings-grid">
        <legend>Symbols</legend>
        <label className="wide">
          Unified symbols, comma separated
          <input data-testid="setting-symbols" value={String(draft[SYMBOLS_PATH] ?? '')} aria-invalid={!!fields[SYMBOLS_PATH]} onChange={(e) => change(SYMBOLS_PATH, e.target.value)} />
          <FieldError message={fields[SYMBOLS_PATH]} />
        </label>
      </fieldset>
      <div className="form-actions sticky">
        <button type="submit" className="btn primary" data-testid="settings-save" disabled={!dirty}>
          Save settings
        </button>
        <button
          type="button"
          className="btn"
          disabled={!dirty}
          onClick={() => {
            setDraft(toDraft(settings));
            setDirty(false);
            setFields({});
            setMessage(null);
            setPresetNote(null);
          }}
        >
          Discard changes
        </button>
        {message && (
          <span className={`form-message ${message.tone}`} data-testid="settings-message" role="status">
            {message.text}
          </span>
        )}
      </div>
    </form>
  );
}
