import { describe, expect, it } from 'vitest';
import { aProposal } from '../fixtures/domain-fixtures';
import { orderProposals } from './proposal-order';

describe('orderProposals', () => {
  it('lists open proposals first, newest on top, then the latest six finished ones', () => {
    const finished = Array.from({ length: 8 }, (_, i) => aProposal({ id: `f${i}`, status: 'executed', createdAt: i }));
    const ordered = orderProposals([
      ...finished,
      aProposal({ id: 'old-pending', createdAt: 100 }),
      aProposal({ id: 'executing', status: 'executing', createdAt: 150 }),
      aProposal({ id: 'new-pending', createdAt: 200 }),
    ]);
    expect(ordered.map((p) => p.id)).toEqual(['new-pending', 'executing', 'old-pending', 'f7', 'f6', 'f5', 'f4', 'f3', 'f2']);
  });
});
