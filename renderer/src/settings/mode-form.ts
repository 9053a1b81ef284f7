import type { CommandInput, ModeStatus } from '../../../shared/contract';
import type { Mode } from '../../../shared/domain';
import { practiceAccountName, type PracticeChoice } from '../../../shared/practice-accounts';
import type { CockpitError } from '../../../shared/result';

/** What the user has picked in the Trading mode control. */
export interface ModeDraft {
  mode: Mode;
  /** The exchange id typed to confirm live trading. */
  confirmation: string;
}

/** Where a refusal of `mode.set` is shown. */
export type ModeFieldErrors = Partial<Record<'mode' | 'confirmation', string>>;

const NO_PRACTICE: PracticeChoice = { testnet: false, demo: false };

/** e.g. `Paper (simulated)`, `Live on bybit (testnet)`, `Live on binanceusdm (demo trading)`, `Live on okx (real money)`. */
export function describeMode(mode: Mode, exchange: string | null, practice: PracticeChoice = NO_PRACTICE): string {
  if (mode === 'paper') return 'Paper (simulated)';
  const account = practice.testnet || practice.demo ? practiceAccountName(practice) : 'real money';
  return `Live on ${exchange ?? 'the exchange'} (${account})`;
}

/** What runs now: `Paper (simulated)` or `Live on binanceusdm`. */
export function describeRunning(status: ModeStatus): string {
  return status.current === 'paper' ? describeMode('paper', null) : `Live on ${status.currentExchange ?? 'the exchange'}`;
}

/** The draft a fresh form starts from: the mode chosen for the next start, nothing typed. */
export function initialModeDraft(status: ModeStatus | null): ModeDraft {
  return { mode: status?.next ?? 'paper', confirmation: '' };
}

/** Live asks for the exchange id to be typed; paper does not. */
export function needsConfirmation(draft: ModeDraft): boolean {
  return draft.mode === 'live';
}

/** The exchange id the user should type: the one the keys are stored for. */
export function confirmationPrompt(storedExchange: string | null): string {
  return storedExchange ? `Type ${storedExchange} to trade live with these keys` : 'Store exchange keys above before going live';
}

/** Apply is possible when it would change something and, for live, something is typed; the engine checks the rest. */
export function canApplyMode(draft: ModeDraft, status: ModeStatus | null, busy: boolean): boolean {
  if (busy || !status) return false;
  const changes = draft.mode !== status.next || status.restartRequired;
  if (!changes) return false;
  return !needsConfirmation(draft) || draft.confirmation.trim() !== '';
}

/** The command to send: paper carries no confirmation text. */
export function modeRequest(draft: ModeDraft): CommandInput<'mode.set'> {
  return { mode: draft.mode, confirmation: needsConfirmation(draft) ? draft.confirmation : '' };
}

/** Puts the engine's refusal at the field it names, or at the mode selector. */
export function modeFieldErrors(error: CockpitError): ModeFieldErrors {
  const fields = error.fields ?? {};
  const named: ModeFieldErrors = {
    ...(fields.mode ? { mode: fields.mode } : {}),
    ...(fields.confirmation ? { confirmation: fields.confirmation } : {}),
  };
  return Object.keys(named).length > 0 ? named : { mode: error.message };
}

/** What the form says once the engine accepted the choice. */
export function appliedModeMessage(status: ModeStatus): string {
  const next = describeMode(status.next, status.exchange, status);
  return status.restartRequired ? `${next} chosen: the app restarts now to switch.` : `${next} is what runs now; nothing to restart.`;
}
