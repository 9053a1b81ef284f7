import type { Side } from '../domain';
import { type Leverage, type Price, type Quantity, type Usd, usd } from '../money';
import { requireFinite, requireNonNegative, requirePositive } from './number-checks';

const sideSign = (side: Side): number => (side === 'long' ? 1 : -1);

/** Notional value of a position: quantity × price. */
export function notional(quantity: Quantity, price: Price): Usd {
  requireNonNegative('quantity', quantity);
  requirePositive('price', price);
  return usd(quantity * price);
}

/** Initial margin a position ties up: notional / leverage. Leverage sets the margin, never the size. */
export function initialMargin(positionNotional: Usd, leverage: Leverage): Usd {
  requireNonNegative('notional', positionNotional);
  if (!(Number.isFinite(leverage) && leverage >= 1)) throw new RangeError(`leverage must be a finite number of at least 1, got ${leverage}`);
  return usd(positionNotional / leverage);
}

/** Effective leverage of an account: total notional / equity. 0 with no positions, Infinity once equity is gone. */
export function effectiveLeverage(totalNotional: Usd, equity: Usd): number {
  requireNonNegative('totalNotional', totalNotional);
  requireFinite('equity', equity);
  if (totalNotional === 0) return 0;
  return equity > 0 ? totalNotional / equity : Infinity;
}

/**
 * Margin ratio: maintenance margin / margin balance. At 1 (100%) the exchange liquidates.
 * 0 with no maintenance margin, Infinity once the margin balance is gone.
 */
export function marginRatio(maintenance: Usd, marginBalance: Usd): number {
  requireNonNegative('maintenance margin', maintenance);
  requireFinite('margin balance', marginBalance);
  if (maintenance === 0) return 0;
  return marginBalance > 0 ? maintenance / marginBalance : Infinity;
}

/**
 * How far the mark may move against the position before liquidation, as a percent of mark.
 * Negative once the mark is past the liquidation price; null when there is no liquidation price.
 */
export function distanceToLiquidationPct(side: Side, mark: Price, liquidation: Price | null): number | null {
  requirePositive('mark', mark);
  if (liquidation === null) return null;
  requirePositive('liquidation price', liquidation);
  return (sideSign(side) * (mark - liquidation) * 100) / mark;
}

/** Unrealised PnL of a linear position: ±contracts × (mark − entry), + for a long. */
export function unrealizedPnl(side: Side, contracts: Quantity, entry: Price, mark: Price): Usd {
  requireNonNegative('contracts', contracts);
  requirePositive('entry', entry);
  requirePositive('mark', mark);
  return usd(sideSign(side) * contracts * (mark - entry));
}

/** Money lost if the stop fills at its price: quantity × |entry − stop| (fees and slippage not included). */
export function riskAmount(quantity: Quantity, entry: Price, stop: Price): Usd {
  requireNonNegative('quantity', quantity);
  requirePositive('entry', entry);
  requirePositive('stop', stop);
  return usd(quantity * Math.abs(entry - stop));
}

/** Reward:risk of a trade: |take-profit − entry| / |entry − stop|. Which side each sits on is the pre-trade check's business. */
export function rewardRisk(entry: Price, stop: Price, takeProfit: Price): number {
  requirePositive('entry', entry);
  requirePositive('stop', stop);
  requirePositive('take-profit', takeProfit);
  if (stop === entry) throw new RangeError('stop must differ from entry');
  return Math.abs(takeProfit - entry) / Math.abs(entry - stop);
}
