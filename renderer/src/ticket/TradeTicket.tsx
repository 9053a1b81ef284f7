import { useEffect, useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { Proposal, SizingSuggestion } from '../../../shared/domain';
import type { RiskSettings } from '../../../shared/settings';
import { formatMoney, formatPct } from '../format/numbers';
import { FieldError } from '../forms/FieldError';
import { KellyLine } from './KellyLine';
import { LeverageLine } from './LeverageLine';
import { useTicketPreview } from './use-ticket-preview';
import { parseTicket, type TicketForm } from './ticket-form';

/**
 * Creates a manual proposal. The engine sizes it from the risk settings
 * (quantity = equity × risk ÷ stop distance) and checks it like any other.
 */
export function TradeTicket({
  api,
  symbols,
  defaultSymbol,
  risk,
  equity,
  sizing,
  onProposed,
}: {
  api: CockpitApi;
  symbols: readonly string[];
  defaultSymbol: string | null;
  risk: RiskSettings | null;
  equity: number | null;
  /** Kelly sizing from the closed trades, shown beside the risk line. */
  sizing: SizingSuggestion | null;
  onProposed: (proposal: Proposal) => void;
}) {
  const [form, setForm] = useState<TicketForm>({ symbol: defaultSymbol ?? '', side: 'long', stop: '', takeProfit: '', entry: '', leverage: '' });
  const [fields, setFields] = useState<Partial<Record<keyof TicketForm, string>>>({});
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const preview = useTicketPreview(api, form, risk);

  useEffect(() => {
    if (!form.symbol && defaultSymbol) setForm((f) => ({ ...f, symbol: defaultSymbol }));
  }, [defaultSymbol, form.symbol]);

  const set = <K extends keyof TicketForm>(key: K, value: TicketForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setFields((f) => ({ ...f, [key]: undefined }));
  };

  const submit = async () => {
    const parsed = parseTicket(form, risk?.maxLeverage ?? 1);
    if (!parsed.ok) {
      setFields(parsed.fields);
      setMessage(null);
      return;
    }
    setBusy(true);
    const result = await api.invoke('proposal.create', parsed.input);
    setBusy(false);
    if (!result.ok) {
      setFields((result.error.fields ?? {}) as Partial<Record<keyof TicketForm, string>>);
      setMessage({ tone: 'error', text: result.error.message });
      return;
    }
    const proposal = result.value;
    setMessage(
      proposal.verdict.ok
        ? { tone: 'info', text: `Proposed ${proposal.side} ${proposal.quantity} ${proposal.symbol} at ${proposal.leverage}x` }
        : { tone: 'error', text: `Proposed, but checks fail: ${proposal.verdict.violations.map((v) => v.message).join('; ')}` },
    );
    onProposed(proposal);
  };

  const riskAmount = risk && equity !== null ? equity * risk.riskPerTrade : null;

  return (
    <section className="panel ticket" aria-label="Trade ticket">
      <h2>Trade ticket</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="ticket-grid">
          <label>
            Symbol
            <select data-testid="ticket-symbol" value={form.symbol} onChange={(e) => set('symbol', e.target.value)}>
              {symbols.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Side
            <select data-testid="ticket-side" value={form.side} onChange={(e) => set('side', e.target.value as TicketForm['side'])} className={`side-${form.side}`}>
              <option value="long">long</option>
              <option value="short">short</option>
            </select>
          </label>
          <label>
            Stop
            <input data-testid="ticket-stop" inputMode="decimal" value={form.stop} onChange={(e) => set('stop', e.target.value)} aria-invalid={!!fields.stop} />
            <FieldError message={fields.stop} />
          </label>
          <label>
            Take-profit
            <input data-testid="ticket-take-profit" inputMode="decimal" value={form.takeProfit} onChange={(e) => set('takeProfit', e.target.value)} aria-invalid={!!fields.takeProfit} />
            <FieldError message={fields.takeProfit} />
          </label>
          <label>
            Entry <span className="muted">(market if empty)</span>
            <input data-testid="ticket-entry" inputMode="decimal" value={form.entry} onChange={(e) => set('entry', e.target.value)} aria-invalid={!!fields.entry} />
            <FieldError message={fields.entry} />
          </label>
          <label>
            Leverage <span className="muted">(≤ {risk?.maxLeverage ?? '…'}x)</span>
            <input data-testid="ticket-leverage" inputMode="decimal" placeholder="empty: lowest that passes" value={form.leverage} onChange={(e) => set('leverage', e.target.value)} aria-invalid={!!fields.leverage} />
            <FieldError message={fields.leverage} />
          </label>
        </div>
        <div className="ticket-footer">
          <div className="ticket-sizing">
            <span className="muted" data-testid="ticket-risk">
              Risk {formatPct(risk ? risk.riskPerTrade * 100 : null)} of equity = {formatMoney(riskAmount)}
            </span>
            <LeverageLine state={preview} />
            <KellyLine sizing={sizing} equity={equity} />
          </div>
          <button type="submit" data-testid="ticket-propose" className="btn primary" disabled={busy}>
            {busy ? 'Proposing…' : 'Propose'}
          </button>
        </div>
        {message && (
          <p data-testid="ticket-message" role="status" className={`form-message ${message.tone}`}>
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}
