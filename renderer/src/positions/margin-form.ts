import type { LiquidationFormula, MarketInfo, Position } from '../../../shared/domain';
import { isolatedMarginPreview, type IsolatedMarginPreview } from '../../../shared/risk/isolated-margin';

/** Which way the margin form moves margin. */
export type MarginDirection = 'add' | 'remove';

/**
 * What the margin form shows before confirming: the position's liquidation price and distance after
 * moving the typed amount (by shared/risk, with the engine's formula), or why it cannot be done.
 */
export function marginFormPreview(input: {
  position: Position;
  market: MarketInfo | undefined;
  formula: LiquidationFormula;
  direction: MarginDirection;
  amountText: string;
}): IsolatedMarginPreview & { amount?: number } {
  const { position, market } = input;
  if (!market) return { ok: false, reason: `The market ${position.symbol} has not loaded yet` };
  const text = input.amountText.trim();
  const amount = Number(text);
  if (text === '' || !Number.isFinite(amount) || amount <= 0) return { ok: false, reason: 'Type the margin to move, in USDT, above zero' };
  const change = input.direction === 'add' ? amount : -amount;
  const preview = isolatedMarginPreview({ formula: input.formula, position, tiers: market.tiers, change });
  return preview.ok ? { ...preview, amount } : preview;
}
