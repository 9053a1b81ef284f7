import { useEffect, useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { MarketInfo, Proposal } from '../../../shared/domain';
import { isTypingTarget } from '../hooks/is-typing';
import { useNow } from '../hooks/use-now';
import { orderProposals } from './proposal-order';
import { ProposalRow } from './ProposalRow';
import type { WhatIf } from './what-if';

/**
 * Everything the engine computed for each proposal, its checks, and the time
 * left. Select a row to see its lines on the chart; A approves and R rejects
 * the selected one.
 */
export function ProposalsPanel({
  api,
  proposals,
  markets,
  selectedId,
  onSelect,
  block,
  whatIf,
}: {
  api: CockpitApi;
  proposals: readonly Proposal[];
  markets: Record<string, MarketInfo>;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  /** Why approval is blocked right now (a tripped breaker), if it is. */
  block: string | null;
  whatIf: WhatIf | null;
}) {
  const now = useNow(1000);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const rows = orderProposals(proposals);

  const act = async (proposal: Proposal, action: 'approve' | 'reject') => {
    if (busy) return;
    setBusy(proposal.id);
    setErrors(({ [proposal.id]: _cleared, ...rest }) => rest);
    const result =
      action === 'approve'
        ? await api.invoke('proposal.approve', { id: proposal.id })
        : await api.invoke('proposal.reject', { id: proposal.id, reason: 'rejected by the user' });
    setBusy(null);
    if (!result.ok) setErrors((e) => ({ ...e, [proposal.id]: result.error.message }));
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      const key = event.key.toLowerCase();
      const index = rows.findIndex((p) => p.id === selectedId);
      if (key === 'arrowdown' || key === 'j') {
        const next = rows[Math.min(rows.length - 1, index + 1)];
        if (next) onSelect(next.id);
      } else if (key === 'arrowup' || key === 'k') {
        const previous = rows[Math.max(0, index - 1)];
        if (previous) onSelect(previous.id);
      } else if (key === 'escape') {
        onSelect(null);
      } else if ((key === 'a' || key === 'r') && index >= 0) {
        const proposal = rows[index]!;
        if (proposal.status !== 'pending') return;
        if (key === 'a' && (block || !proposal.verdict.ok)) return;
        event.preventDefault();
        void act(proposal, key === 'a' ? 'approve' : 'reject');
      } else {
        return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section className="panel proposals-panel" data-testid="proposals" aria-label="Proposals">
      <h2>
        Proposals <span className="muted">{rows.filter((p) => p.status === 'pending').length} pending · ↑↓ select · A approve · R reject</span>
      </h2>
      {block && (
        <p className="block-banner" data-testid="approval-blocked" role="alert">
          Approval blocked — {block}
        </p>
      )}
      {rows.length === 0 && <p className="muted">No proposals. Use the trade ticket, or enable a strategy.</p>}
      <ul className="proposal-list">
        {rows.map((p) => (
          <ProposalRow
            key={p.id}
            proposal={p}
            market={markets[p.symbol]}
            selected={selectedId === p.id}
            now={now}
            block={block}
            whatIf={whatIf?.proposalId === p.id ? whatIf : null}
            busy={busy === p.id}
            error={errors[p.id] ?? null}
            onToggle={() => onSelect(selectedId === p.id ? null : p.id)}
            onAct={(action) => void act(p, action)}
          />
        ))}
      </ul>
    </section>
  );
}
