import type { LiquidationFormula, MarketTier, Position } from '../domain';
import { price } from '../money';
import { liquidationPrice } from './liquidation';
import { distanceToLiquidationPct } from './measures';
import { toMarginTiers } from './tiers';

/** The figures of an isolated position that say how much of its margin it can spare. */
export type IsolatedMarginFigures = Pick<Position, 'isolatedWallet' | 'unrealizedPnl' | 'initialMargin'>;

/**
 * The most margin an isolated position can give back: its wallet, less any unrealised loss, above its
 * initial margin at the mark (Binance refuses more with -4051). Never below zero.
 */
export function removableIsolatedMargin(p: IsolatedMarginFigures): number {
  return Math.max(0, p.isolatedWallet + Math.min(0, p.unrealizedPnl) - p.initialMargin);
}

/** What adding (`change` > 0) or removing (`change` < 0) isolated margin would make of the position. */
export type IsolatedMarginPreview =
  | { ok: true; walletBalance: number; liquidationPrice: number | null; distanceToLiquidationPct: number | null }
  | { ok: false; reason: string };

/**
 * The liquidation price and its distance from the mark after moving `change` USDT into (or out of) an
 * isolated position's wallet, by the exchange's published formula; why it cannot be done otherwise.
 * @example
 * isolatedMarginPreview({ formula: 'binanceusdm', position, tiers: market.tiers, change: 50 }); // { ok: true, liquidationPrice: …, … }
 */
export function isolatedMarginPreview(input: {
  formula: LiquidationFormula;
  position: Pick<Position, 'side' | 'contracts' | 'entryPrice' | 'markPrice' | 'marginMode'> & IsolatedMarginFigures;
  tiers: readonly MarketTier[];
  change: number;
}): IsolatedMarginPreview {
  const { position, change } = input;
  if (position.marginMode !== 'isolated') return { ok: false, reason: "A cross position draws on the account's whole wallet: only an isolated position has margin of its own to add or remove" };
  if (!Number.isFinite(change) || change === 0) return { ok: false, reason: 'The margin to add or remove must be a number other than zero' };
  const removable = removableIsolatedMargin(position);
  if (-change > removable) return { ok: false, reason: `At most ${removable.toFixed(2)} USDT can be removed: the rest holds the position's initial margin and any loss` };
  const walletBalance = position.isolatedWallet + change;
  const liquidation = liquidationPrice({
    exchange: input.formula,
    side: position.side,
    contracts: position.contracts,
    entryPrice: position.entryPrice,
    marginMode: 'isolated',
    walletBalance,
    tiers: toMarginTiers(input.tiers),
  });
  return { ok: true, walletBalance, liquidationPrice: liquidation, distanceToLiquidationPct: distanceToLiquidationPct(position.side, price(position.markPrice), liquidation === null ? null : price(liquidation)) };
}
