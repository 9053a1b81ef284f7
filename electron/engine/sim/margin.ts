import type { MarketTier } from '../../../shared/domain';
import { liquidationPrice, type OtherPosition } from '../../../shared/risk/liquidation';
import { maintenanceMargin, tierIndexForNotional, toMarginTiers } from '../../../shared/risk/tiers';
import type { Holding } from './position-ledger';

/** What a position is worth and owes at the mark price. */
export interface PositionFigures {
  notional: number;
  unrealizedPnl: number;
  initialMargin: number;
  maintenanceMargin: number;
  maintenanceMarginRate: number;
  maintenanceAmount: number;
}

export function positionFigures(holding: Holding, mark: number, leverage: number, tiers: readonly MarketTier[]): PositionFigures {
  const notional = Math.abs(holding.amt) * mark;
  const tier = tiers[tierIndexForNotional(notional, tiers)]!;
  return {
    notional,
    unrealizedPnl: holding.amt * (mark - holding.entryPrice),
    initialMargin: notional / leverage,
    maintenanceMargin: holding.amt === 0 ? 0 : maintenanceMargin(notional, toMarginTiers(tiers)),
    maintenanceMarginRate: tier.maintenanceMarginRate,
    maintenanceAmount: tier.maintenanceAmount,
  };
}

/** A cross position as shared/risk counts it when another cross position's liquidation price is computed. */
export function asOtherPosition(holding: Holding, mark: number, figures: PositionFigures): OtherPosition {
  return {
    side: holding.amt > 0 ? 'long' : 'short',
    contracts: Math.abs(holding.amt),
    entryPrice: holding.entryPrice,
    markPrice: mark,
    maintenanceMarginRate: figures.maintenanceMarginRate,
    maintenanceAmount: figures.maintenanceAmount,
  };
}

/**
 * Binance's liquidation price of a one-way position, by shared/risk. `walletBalance` is the isolated
 * wallet, or the cross wallet with `others` the account's other cross positions. A wallet already
 * below zero counts as empty: the position is then liquidated at the next check anyway.
 */
export function positionLiquidationPrice(input: {
  holding: Holding;
  marginMode: 'isolated' | 'cross';
  walletBalance: number;
  tiers: readonly MarketTier[];
  others: OtherPosition[];
}): number | null {
  if (input.holding.amt === 0) return null;
  return liquidationPrice({
    exchange: 'binanceusdm',
    side: input.holding.amt > 0 ? 'long' : 'short',
    contracts: Math.abs(input.holding.amt),
    entryPrice: input.holding.entryPrice,
    marginMode: input.marginMode,
    walletBalance: Math.max(0, input.walletBalance),
    tiers: toMarginTiers(input.tiers),
    others: input.others,
  });
}
