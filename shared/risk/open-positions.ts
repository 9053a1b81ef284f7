import type { MarketTier, Side } from '../domain';
import type { OtherPosition } from './liquidation';
import { requireNonNegative } from './number-checks';
import { tierIndexForNotional } from './tiers';

/** An open position as the account holds it, valued at its current mark. */
export interface HeldPosition {
  symbol: string;
  side: Side;
  contracts: number;
  entryPrice: number;
  markPrice: number;
}

/** Total notional of the positions at their marks, leaving out `exceptSymbol` (the one being planned). */
export function openExposure(positions: readonly HeldPosition[], exceptSymbol?: string): number {
  return positions.filter((p) => p.symbol !== exceptSymbol).reduce((sum, p) => sum + Math.abs(p.contracts * p.markPrice), 0);
}

/**
 * A held position as the cross liquidation formula needs it: its maintenance rate and
 * amount are those of the tier holding its notional at the mark.
 * @throws RangeError when the market has no tiers: a cross liquidation price without them would be wrong.
 */
export function asOtherPosition(position: HeldPosition, tiers: readonly MarketTier[]): OtherPosition {
  requireNonNegative(`${position.symbol} contracts`, position.contracts);
  requireNonNegative(`${position.symbol} mark price`, position.markPrice);
  if (tiers.length === 0) throw new RangeError(`no maintenance-margin tiers for ${position.symbol}`);
  const tier = tiers[tierIndexForNotional(position.contracts * position.markPrice, tiers)]!;
  return {
    side: position.side,
    contracts: position.contracts,
    entryPrice: position.entryPrice,
    markPrice: position.markPrice,
    maintenanceMarginRate: tier.maintenanceMarginRate,
    maintenanceAmount: tier.maintenanceAmount,
  };
}
