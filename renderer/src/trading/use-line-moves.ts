import { useCallback, useMemo, useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { Proposal } from '../../../shared/domain';
import type { DragFeedback } from '../chart/ChartPanel';
import type { TradeLine } from '../chart/trade-lines';
import type { LineDragHandlers } from '../chart/use-line-drag';
import { formatPrice } from '../format/numbers';
import { planWhatIf, type WhatIf, type WhatIfContext } from '../proposals/what-if';

const PURPOSE_NAME = { stop: 'Stop', 'take-profit': 'Take-profit' } as const;

/**
 * What dropping a dragged line does. A stop or take-profit asks the engine to
 * move the order (the line snaps back with the reason if it refuses). A
 * proposal's stop shows the shared risk plan live while dragged; on drop, if
 * that plan passes, the old proposal is withdrawn and re-proposed at the new stop
 * (the engine keeps one live proposal per symbol).
 */
export function useLineMoves(
  api: CockpitApi,
  proposals: readonly Proposal[],
  whatIfContext: (proposal: Proposal) => WhatIfContext | null,
  tickSize: number,
  onReproposed: (proposal: Proposal) => void,
): { handlers: LineDragHandlers; feedback: DragFeedback | null; whatIf: WhatIf | null } {
  const [feedback, setFeedback] = useState<DragFeedback | null>(null);
  const [whatIf, setWhatIf] = useState<WhatIf | null>(null);

  const proposalOf = useCallback((line: TradeLine) => (line.drag?.type === 'proposal-stop' ? (proposals.find((p) => p.id === (line.drag as { proposalId: string }).proposalId) ?? null) : null), [proposals]);

  const onDragMove = useCallback(
    (line: TradeLine, price: number) => {
      const proposal = proposalOf(line);
      const context = proposal && whatIfContext(proposal);
      if (proposal && context) setWhatIf(planWhatIf(proposal, price, context));
    },
    [proposalOf, whatIfContext],
  );

  const onDrop = useCallback(
    async (line: TradeLine, price: number): Promise<boolean> => {
      const drag = line.drag;
      if (!drag) return false;
      if (drag.type === 'order') {
        setFeedback({ tone: 'info', text: `Moving ${PURPOSE_NAME[drag.purpose].toLowerCase()} to ${formatPrice(price, tickSize)}…` });
        const result = await api.invoke('order.move', { symbol: drag.symbol, purpose: drag.purpose, price });
        if (!result.ok) {
          setFeedback({ tone: 'error', text: `${PURPOSE_NAME[drag.purpose]} not moved: ${result.error.message}` });
          return false;
        }
        const placed = result.value.triggerPrice ?? result.value.price ?? price;
        setFeedback({ tone: 'info', text: `${PURPOSE_NAME[drag.purpose]} moved to ${formatPrice(placed, tickSize)}` });
        return true;
      }
      const proposal = proposalOf(line);
      const context = proposal && whatIfContext(proposal);
      setWhatIf(null);
      if (!proposal || proposal.status !== 'pending' || !context) {
        setFeedback({ tone: 'error', text: 'That proposal is no longer pending.' });
        return false;
      }
      const plan = planWhatIf(proposal, price, context);
      if (plan.problem) {
        setFeedback({ tone: 'error', text: `Stop not moved: ${plan.problem}` });
        return false;
      }
      const withdrawn = await api.invoke('proposal.reject', { id: proposal.id, reason: `stop moved to ${plan.stop}: re-proposed` });
      if (!withdrawn.ok) {
        setFeedback({ tone: 'error', text: `Not re-proposed: ${withdrawn.error.message}` });
        return false;
      }
      const created = await api.invoke('proposal.create', {
        symbol: proposal.symbol,
        side: proposal.side,
        entry: proposal.entry,
        stop: plan.stop,
        takeProfit: proposal.takeProfit,
        leverage: proposal.leverage,
      });
      if (!created.ok) {
        setFeedback({ tone: 'error', text: `The old proposal was withdrawn but the new one was refused: ${created.error.message}` });
        return false;
      }
      setFeedback({ tone: 'info', text: `Re-proposed with the stop at ${formatPrice(created.value.stop, tickSize)}` });
      onReproposed(created.value);
      return true;
    },
    [api, proposalOf, whatIfContext, tickSize, onReproposed],
  );

  const onDragCancel = useCallback(() => setWhatIf(null), []);

  const handlers = useMemo(() => ({ onDragMove, onDrop, onDragCancel }), [onDragMove, onDrop, onDragCancel]);
  return { handlers, feedback, whatIf };
}
