import type { MarginMode, MarketTier, Side } from '../domain';
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
  marginMode: MarginMode;
  /** Isolated: the position's wallet as the exchange reports it; 0 in cross (or when not reported). */
  isolatedWallet: number;
  leverage: number;
}

/** What the cross liquidation formula is given for a new cross entry: the cross wallet and the other cross positions. */
export interface CrossAccount {
  walletBalance: number;
  openPositions: OtherPosition[];
}

/** Total notional of the positions at their marks, leaving out `exceptSymbol` (the one being planned). */
export function openExposure(positions: readonly HeldPosition[], exceptSymbol?: string): number {
  return positions.filter((p) => p.symbol !== exceptSymbol).reduce((sum, p) => sum + Math.abs(p.contracts * p.markPrice), 0);
}

/**
 * The wallet an isolated position holds apart from the cross wallet; 0 for a cross position.
 * One the exchange did not report is taken as the margin at entry, which errs towards less cross wallet.
 */
export function isolatedWalletOf(p: Pick<HeldPosition, 'marginMode' | 'isolatedWallet' | 'contracts' | 'entryPrice' | 'leverage'>): number {
  if (p.marginMode !== 'isolated') return 0;
  return p.isolatedWallet > 0 ? p.isolatedWallet : (p.contracts * p.entryPrice) / Math.max(1, p.leverage);
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

/**
 * The cross side of an account, as Binance's cross formula reads it: the wallet balance less every
 * isolated position's wallet (WB), and only the cross positions as the others (TMM1, UPNL1).
 * Isolated positions cannot draw on the cross wallet, nor can it draw on theirs.
 */
export function crossAccount(
  walletBalance: number,
  others: readonly HeldPosition[],
  tiersOf: (symbol: string) => readonly MarketTier[],
): CrossAccount {
  const isolated = others.reduce((sum, p) => sum + isolatedWalletOf(p), 0);
  return {
    walletBalance: Math.max(0, walletBalance - isolated),
    openPositions: others.filter((p) => p.marginMode === 'cross').map((p) => asOtherPosition(p, tiersOf(p.symbol))),
  };
}
