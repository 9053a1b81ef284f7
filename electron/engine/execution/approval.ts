import type { ApproveResult } from '../../../shared/contract';
import { CommandError } from '../errors';
import { LockRevokedError } from '../execution-lock';
import { describeViolations, planFigures } from '../proposals/entry-planner';
import type { ProposalService } from '../proposals/proposal-service';
import type { ExecutionDeps } from './order-desk';
import { closePosition } from './position-actions';
import { openProtected } from './protected-entry';
import { describeError } from '../../../shared/error-message';

export interface ApprovalDeps extends ExecutionDeps {
  proposals: ProposalService;
  /** Symbols with an execution in flight: reconciliation does not flag them. */
  executing: Set<string>;
}

/**
 * Approves one proposal: under the execution lock it re-checks against the
 * current price (refusing, with the reason, when price moved past the
 * tolerance or a check now fails) and only then opens the position with its
 * stop-loss and take-profit on the exchange.
 */
export async function approveProposal(deps: ApprovalDeps, id: string): Promise<ApproveResult> {
  const proposal = deps.proposals.get(id);
  if (proposal.status !== 'pending') throw new CommandError('refused', `Proposal ${id} is ${proposal.status}, not pending`);
  if (deps.now() >= proposal.expiresAt) {
    deps.proposals.setStatus(id, 'expired', 'Expired before approval');
    throw new CommandError('refused', `Proposal ${id} expired before approval`);
  }
  deps.proposals.setStatus(id, 'executing', null);
  deps.executing.add(proposal.symbol);
  try {
    if (proposal.kind === 'close') return await approveClose(deps, id);
    return await deps.lock.run(`approve:${id}`, async (lease) => {
      if (deps.now() >= proposal.expiresAt) {
        deps.proposals.setStatus(id, 'expired', 'Expired while waiting for another execution to finish');
        throw new CommandError('refused', `Proposal ${id} expired while waiting for another execution to finish`);
      }
      deps.journal.record('proposal.approve', { id, symbol: proposal.symbol, auto: proposal.auto });
      lease.assertHeld();
      const current = await deps.proposals.currentPrice(proposal.symbol);
      const movedPct = (Math.abs(current - proposal.entry) / proposal.entry) * 100;
      const tolerance = deps.settings().risk.priceTolerancePct;
      if (movedPct > tolerance) {
        const reason = `Price moved ${movedPct.toFixed(2)}% since the proposal (${proposal.entry} → ${current}), past the ${tolerance}% tolerance`;
        deps.proposals.setStatus(id, 'refused', reason);
        throw new CommandError('refused', reason, { code: 'price-moved' });
      }
      const plan = deps.proposals.replan(proposal, current);
      if (!plan.verdict.ok || !(plan.quantity > 0)) {
        const reason = `The pre-trade check now fails at ${current}: ${describeViolations(plan.verdict) || 'the trade cannot be sized'}`;
        deps.proposals.setStatus(id, 'refused', reason, { verdict: plan.verdict });
        throw new CommandError('refused', reason, { code: 'check-failed' });
      }
      const outcome = await openProtected(deps, lease, {
        operation: id,
        proposalId: id,
        symbol: proposal.symbol,
        side: proposal.side,
        quantity: plan.quantity,
        leverage: proposal.leverage,
        stop: plan.stop,
        takeProfit: plan.takeProfit,
      });
      await deps.refresh(`approve ${id}`).catch(() => undefined);
      if (outcome.status === 'failed') {
        deps.proposals.setStatus(id, 'failed', outcome.reason);
        throw new CommandError('exchange', outcome.reason);
      }
      deps.book.setOrigin(proposal.symbol, 'bot');
      const executed = deps.proposals.setStatus(id, 'executed', null, {
        ...planFigures(plan),
        entry: outcome.entry.averagePrice ?? plan.entry,
        quantity: outcome.filled,
      });
      return { proposal: executed, position: deps.book.positionViews().find((p) => p.symbol === proposal.symbol) ?? null };
    });
  } catch (error) {
    const now = deps.proposals.get(id);
    if (now.status === 'executing') {
      const reason = error instanceof LockRevokedError ? 'Pre-empted by the emergency flatten' : describeError(error);
      deps.proposals.setStatus(id, 'failed', reason);
    }
    throw error;
  } finally {
    deps.executing.delete(proposal.symbol);
  }
}

/** A close proposal (a strategy's exit signal): the whole position goes, reduce-only, like a close by hand. */
async function approveClose(deps: ApprovalDeps, id: string): Promise<ApproveResult> {
  const proposal = deps.proposals.get(id);
  deps.journal.record('proposal.approve', { id, symbol: proposal.symbol, auto: proposal.auto, kind: 'close' });
  const closed = await closePosition(deps, proposal.symbol, `strategy ${proposal.source} exit: ${proposal.reason}`);
  await deps.refresh(`approve ${id}`).catch(() => undefined);
  const executed = deps.proposals.setStatus(id, 'executed', null, { quantity: closed });
  return { proposal: executed, position: null };
}
