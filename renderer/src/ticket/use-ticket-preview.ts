import { useEffect, useRef, useState } from 'react';
import type { CockpitApi, TicketPreview } from '../../../shared/contract';
import type { RiskSettings } from '../../../shared/settings';
import { parseTicket, type TicketForm } from './ticket-form';

/** What the ticket knows of its plan before Propose: nothing yet, the engine's preview, or why it has none. */
export type TicketPreviewState = { kind: 'incomplete' } | { kind: 'ready'; preview: TicketPreview } | { kind: 'error'; message: string };

/** How long typing must pause before the ticket asks for a preview. */
const SETTLE_MS = 250;
/** A market-price ticket is previewed again this often, as the price moves. */
const REFRESH_MS = 5_000;

/**
 * The engine's plan for the ticket as typed (`proposal.preview`): the leverage it will use and its figures,
 * asked again when the ticket changes and, at the market price, as time passes. An answer to an older
 * question never replaces a newer one.
 */
export function useTicketPreview(api: CockpitApi, form: TicketForm, risk: RiskSettings | null): TicketPreviewState {
  const [state, setState] = useState<TicketPreviewState>({ kind: 'incomplete' });
  const asked = useRef(0);
  const key = JSON.stringify(form);

  useEffect(() => {
    const parsed = parseTicket(JSON.parse(key) as TicketForm, risk?.maxLeverage ?? 1);
    if (!parsed.ok) {
      asked.current++;
      setState({ kind: 'incomplete' });
      return;
    }
    const ask = async () => {
      const mine = ++asked.current;
      const result = await api.invoke('proposal.preview', parsed.input);
      if (mine !== asked.current) return;
      setState(result.ok ? { kind: 'ready', preview: result.value } : { kind: 'error', message: result.error.message });
    };
    const settle = setTimeout(() => void ask(), SETTLE_MS);
    const refresh = parsed.input.entry === undefined ? setInterval(() => void ask(), REFRESH_MS) : null;
    return () => {
      clearTimeout(settle);
      if (refresh) clearInterval(refresh);
    };
  }, [api, key, risk?.maxLeverage]);

  return state;
}
