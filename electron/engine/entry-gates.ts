import type { CheckViolation, Side } from '../../shared/domain';
import { errorMessage } from '../../shared/error-message';

/** A new entry as the gates judge it: a proposal being created or approved. */
export interface EntryRequest {
  symbol: string;
  side: Side;
  leverage: number;
  /** A strategy's entry: the strategies' own leverage cap applies too. */
  automated?: boolean;
  /** Margin the entry would tie up. */
  margin: number;
  notional: number;
  distanceToLiquidationPct: number | null;
}

/** One extra check on entries (the breakers are one): returns its violations, none when the entry may go. */
export type EntryGate = (entry: EntryRequest) => CheckViolation[];

/**
 * The checks every new entry passes besides the pre-trade rules. Allows
 * everything until a gate is added; a gate that throws blocks the entry.
 */
export class EntryGates {
  private readonly gates = new Set<EntryGate>();

  /** Adds a gate; returns its removal. */
  add(gate: EntryGate): () => void {
    this.gates.add(gate);
    return () => this.gates.delete(gate);
  }

  violations(entry: EntryRequest): CheckViolation[] {
    const out: CheckViolation[] = [];
    for (const gate of this.gates) {
      try {
        out.push(...gate(entry));
      } catch (error) {
        out.push({ rule: 'breaker', message: `An entry check failed, so entries are blocked: ${errorMessage(error)}` });
      }
    }
    return out;
  }
}
