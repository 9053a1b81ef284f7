import type { Proposal, ProposalStatus } from '../../../shared/domain';

const FINAL: ReadonlySet<ProposalStatus> = new Set(['executed', 'rejected', 'refused', 'expired', 'failed']);
/** Finished proposals kept for the UI. */
const KEEP_FINISHED = 100;

const isFinal = (status: ProposalStatus): boolean => FINAL.has(status);

/** Every proposal the UI shows: the live ones and the most recent finished ones. */
export class ProposalBook {
  private readonly byId = new Map<string, Proposal>();

  add(proposal: Proposal): Proposal {
    this.byId.set(proposal.id, { ...proposal });
    this.trim();
    return this.get(proposal.id)!;
  }

  get(id: string): Proposal | null {
    const p = this.byId.get(id);
    return p ? structuredClone(p) : null;
  }

  update(id: string, patch: Partial<Proposal>): Proposal {
    const current = this.byId.get(id);
    if (!current) throw new Error(`No proposal ${id}`);
    const next = { ...current, ...patch };
    this.byId.set(id, next);
    this.trim();
    return structuredClone(next);
  }

  /** Newest first. */
  list(): Proposal[] {
    return [...this.byId.values()].sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id)).map((p) => structuredClone(p));
  }

  withStatus(...statuses: ProposalStatus[]): Proposal[] {
    return this.list().filter((p) => statuses.includes(p.status));
  }

  private trim(): void {
    const finished = [...this.byId.values()].filter((p) => isFinal(p.status)).sort((a, b) => b.createdAt - a.createdAt);
    for (const p of finished.slice(KEEP_FINISHED)) this.byId.delete(p.id);
  }
}
