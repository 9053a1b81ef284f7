import { commandInputs, type CommandInput } from '../../../shared/contract';
import type { Side } from '../../../shared/domain';

/** The trade ticket as typed: strings, exactly as the inputs hold them. */
export interface TicketForm {
  symbol: string;
  side: Side;
  stop: string;
  takeProfit: string;
  entry: string;
  leverage: string;
}

export type TicketParse = { ok: true; input: CommandInput<'proposal.create'> } | { ok: false; fields: Partial<Record<keyof TicketForm, string>> };

const FIELDS: readonly (keyof TicketForm)[] = ['symbol', 'side', 'stop', 'takeProfit', 'entry', 'leverage'];

function toNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/,/g, '');
  return trimmed === '' ? undefined : Number(trimmed);
}

/**
 * Turns the ticket into a `proposal.create` input, or says what is wrong at
 * each field. The contract's schema decides; the user's leverage cap is
 * checked here too so the ticket never offers what the settings forbid.
 */
export function parseTicket(form: TicketForm, maxLeverage: number): TicketParse {
  const fields: Partial<Record<keyof TicketForm, string>> = {};
  const stop = toNumber(form.stop);
  const takeProfit = toNumber(form.takeProfit);
  const entry = toNumber(form.entry);
  const leverage = toNumber(form.leverage);
  if (stop === undefined) fields.stop = 'enter a stop price';
  if (takeProfit === undefined) fields.takeProfit = 'enter a take-profit price';
  if (leverage !== undefined && leverage > maxLeverage) fields.leverage = `at most ${maxLeverage}x (your risk settings)`;

  const candidate = {
    symbol: form.symbol,
    side: form.side,
    stop,
    takeProfit,
    ...(entry !== undefined ? { entry } : {}),
    ...(leverage !== undefined ? { leverage } : {}),
  };
  const parsed = commandInputs['proposal.create'].safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && (FIELDS as readonly string[]).includes(field) && !fields[field as keyof TicketForm]) {
        fields[field as keyof TicketForm] = Number.isNaN(candidate[field as keyof typeof candidate]) ? 'not a number' : issue.message;
      }
    }
  }
  if (entry !== undefined && stop !== undefined && !fields.stop && !fields.entry) {
    const wrongSide = form.side === 'long' ? stop >= entry : stop <= entry;
    if (wrongSide) fields.stop = form.side === 'long' ? 'a long needs its stop below the entry' : 'a short needs its stop above the entry';
  }
  if (entry !== undefined && takeProfit !== undefined && !fields.takeProfit && !fields.entry) {
    const wrongSide = form.side === 'long' ? takeProfit <= entry : takeProfit >= entry;
    if (wrongSide) fields.takeProfit = form.side === 'long' ? 'a long needs its take-profit above the entry' : 'a short needs its take-profit below the entry';
  }
  if (Object.keys(fields).length > 0 || !parsed.success) return { ok: false, fields };
  return { ok: true, input: parsed.data };
}
