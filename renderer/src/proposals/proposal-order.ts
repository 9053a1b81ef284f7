import type { Proposal } from '../../../shared/domain';

const OPEN = new Set<Proposal['status']>(['pending', 'executing']);
const SHOWN_FINISHED = 6;

/** Pending proposals first (newest on top), then the last few finished ones. */
export function orderProposals(proposals: readonly Proposal[]): Proposal[] {
  const pending = proposals.filter((p) => OPEN.has(p.status)).sort((a, b) => b.createdAt - a.createdAt);
  const finished = proposals
    .filter((p) => !OPEN.has(p.status))
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, SHOWN_FINISHED);
  return [...pending, ...finished];
}
