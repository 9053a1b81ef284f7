import type { BreakerView } from '../../../shared/domain';

/** Tripped breakers that stop new entries (any action beyond a warning). */
export function blockingBreakers(breakers: readonly BreakerView[]): BreakerView[] {
  return breakers.filter((b) => b.state === 'tripped' && b.action !== 'none');
}

/** Why approval is blocked right now, in words; null when nothing blocks it. */
export function approvalBlock(breakers: readonly BreakerView[]): string | null {
  const blocking = blockingBreakers(breakers);
  if (blocking.length === 0) return null;
  return blocking.map((b) => `${b.label}: ${b.reason ?? 'tripped'}`).join('; ');
}
