import type { Position } from '../../../shared/domain';
import { describeError, errorMessage } from '../../../shared/error-message';
import { roundDownToStep } from '../../../shared/risk/precision';
import { CommandError } from '../errors';
import { TemporaryExchangeError } from '../exchange/errors';
import { read, type ExecutionDeps } from './order-desk';

/** Margin moves in whole cents of the quote currency. */
const MARGIN_STEP = 0.01;

/** What a margin change did: the amount the exchange reports moved, and the position as the exchange then reports it. */
export interface MarginChange {
  moved: number;
  position: Position;
}

/**
 * Adds margin to or removes it from an isolated position (a cross position is refused: it has no
 * margin of its own). The change is journalled before it is sent, and its answer after. It is never
 * retried: a margin change has no client id to look up, and sent twice it would move twice as much.
 * The position's new wallet and liquidation price come from the exchange.
 */
export async function changeIsolatedMargin(deps: ExecutionDeps, symbol: string, direction: 'add' | 'remove', amount: number): Promise<MarginChange> {
  const rounded = roundDownToStep(amount, MARGIN_STEP);
  if (!(rounded > 0)) throw new CommandError('invalid-input', `The margin to ${direction} must be at least ${MARGIN_STEP} USDT, got ${amount}`);
  return deps.lock.run(`margin:${symbol}`, async (lease) => {
    const positions = await read(deps, lease, () => deps.adapter.fetchPositions());
    deps.book.applyPositions(positions);
    const before = positions.find((p) => p.symbol === symbol);
    if (!before) throw new CommandError('not-found', `There is no open position on ${symbol}`);
    if (before.marginMode !== 'isolated') throw new CommandError('refused', `${symbol} is a cross position: it draws on the account's whole wallet, so it has no margin of its own to ${direction}. Only an isolated position's margin can be changed.`);
    const context = { symbol, direction, amount: rounded, isolatedWallet: before.isolatedWallet, liquidationPrice: before.liquidationPrice };
    deps.journal.record('margin.request', context);
    lease.assertHeld();
    let moved: number;
    try {
      moved = await lease.track(() => deps.adapter.modifyMargin(symbol, rounded, direction === 'add' ? 'add' : 'reduce'));
    } catch (error) {
      deps.journal.record('margin.error', { ...context, error: describeError(error) });
      // An answer lost on the way may hide a change made: show what the exchange holds now.
      await deps.refresh(`margin ${direction} failed`).catch(() => undefined);
      if (error instanceof TemporaryExchangeError) {
        throw new CommandError('exchange', `The margin change on ${symbol} got no clear answer (${errorMessage(error)}). It was not sent again: check the position's margin, now read afresh from the exchange, before trying again.`);
      }
      throw error;
    }
    await deps.refresh(`margin ${direction}`).catch((error: unknown) => deps.journal.record('margin.refresh.error', { symbol, error: describeError(error) }));
    const after = deps.book.positionViews().find((p) => p.symbol === symbol);
    deps.journal.record('margin.response', { ...context, moved, isolatedWalletAfter: after?.isolatedWallet ?? null, liquidationPriceAfter: after?.liquidationPrice ?? null });
    if (!after) throw new CommandError('exchange', `${moved} USDT of margin was moved, but ${symbol} no longer shows a position`);
    return { moved, position: after };
  });
}
