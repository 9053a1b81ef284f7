import { requireNonNegative, requirePositive } from './number-checks';
import { maintenanceMargin, validateMarginTiers } from './tiers';

/** One maintenance-margin tier of a symbol: notional in [minNotional, maxNotional) pays notional × rate − amount. */
export interface MarginTier {
  minNotional: number;
  maxNotional: number;
  maintenanceMarginRate: number;
  maintenanceAmount: number;
}

/** Another open cross-margin position of the same account (Binance cross mode). */
export interface OtherPosition {
  side: 'long' | 'short';
  contracts: number;
  entryPrice: number;
  markPrice: number;
  maintenanceMarginRate: number;
  maintenanceAmount: number;
}

/** Everything the exchanges' published liquidation formulas need for one linear USDT-margined position. */
export interface LiquidationInput {
  /** Which published formula applies. */
  exchange: 'binanceusdm' | 'bybit';
  side: 'long' | 'short';
  /** Absolute size in base asset (linear USDT-margined perpetuals). */
  contracts: number;
  entryPrice: number;
  marginMode: 'isolated' | 'cross';
  /** Isolated: the position's isolated wallet balance (its margin incl. added margin); cross: the account's cross wallet balance. */
  walletBalance: number;
  /** The symbol's maintenance-margin tiers, ascending by notional. */
  tiers: MarginTier[];
  /** Cross only: the account's other open cross positions. Ignored in isolated mode. */
  others?: OtherPosition[];
}

interface PriceRange {
  root: number;
  low: number;
  high: number;
}

const sideSign = (side: 'long' | 'short'): number => (side === 'long' ? 1 : -1);

const sum = (values: number[]): number => values.reduce((total, v) => total + v, 0);

function validateSide(name: string, side: string): void {
  if (side !== 'long' && side !== 'short') throw new RangeError(`${name} must be 'long' or 'short', got ${side}`);
}

function validateOther(other: OtherPosition, i: number): void {
  const name = `others[${i}]`;
  validateSide(`${name}.side`, other.side);
  requirePositive(`${name}.contracts`, other.contracts);
  requirePositive(`${name}.entryPrice`, other.entryPrice);
  requirePositive(`${name}.markPrice`, other.markPrice);
  if (!(other.maintenanceMarginRate >= 0 && other.maintenanceMarginRate < 1)) {
    throw new RangeError(`${name}.maintenanceMarginRate must be in [0, 1), got ${other.maintenanceMarginRate}`);
  }
  requireNonNegative(`${name}.maintenanceAmount`, other.maintenanceAmount);
}

function validateInput(input: LiquidationInput): void {
  if (input.exchange !== 'binanceusdm' && input.exchange !== 'bybit') throw new RangeError(`exchange must be 'binanceusdm' or 'bybit', got ${input.exchange}`);
  validateSide('side', input.side);
  if (input.marginMode !== 'isolated' && input.marginMode !== 'cross') throw new RangeError(`marginMode must be 'isolated' or 'cross', got ${input.marginMode}`);
  requirePositive('contracts', input.contracts);
  requirePositive('entryPrice', input.entryPrice);
  requireNonNegative('walletBalance', input.walletBalance);
  validateMarginTiers(input.tiers);
  input.others?.forEach(validateOther);
}

const otherMaintenance = (p: OtherPosition): number => p.contracts * p.markPrice * p.maintenanceMarginRate - p.maintenanceAmount;

const otherPnl = (p: OtherPosition): number => sideSign(p.side) * p.contracts * (p.markPrice - p.entryPrice);

/**
 * Binance USDⓈ-M, one-way mode:
 * LP = (WB − TMM1 + UPNL1 + cum − Side × Position × EP) / (Position × MMR − Side × Position),
 * with MMR and cum from the tier holding the notional at the liquidation price.
 * Solving once per tier and keeping the first price (from entry) where margin balance meets
 * maintenance margin inside that tier's own price range gives exactly that tier.
 */
function binanceOneWay(input: LiquidationInput): number | null {
  const { side, contracts, entryPrice, walletBalance, tiers } = input;
  const s = sideSign(side);
  const cross = input.marginMode === 'cross' ? (input.others ?? []) : [];
  const accountRest = walletBalance - sum(cross.map(otherMaintenance)) + sum(cross.map(otherPnl));
  const ranges: PriceRange[] = tiers.map((tier, i) => ({
    root: (accountRest + tier.maintenanceAmount - s * contracts * entryPrice) / (contracts * tier.maintenanceMarginRate - s * contracts),
    low: tier.minNotional / contracts,
    high: i === tiers.length - 1 ? Infinity : tier.maxNotional / contracts,
  }));
  const price =
    side === 'long'
      ? Math.max(...ranges.filter((r) => r.root >= r.low).map((r) => Math.min(r.root, r.high)))
      : Math.min(...ranges.filter((r) => r.root <= r.high).map((r) => Math.max(r.root, r.low)));
  return price > 0 ? price : null;
}

/**
 * Bybit linear, isolated margin: LP = entry ∓ (IM + extra margin − MM) / size,
 * with MM = position value at entry × MMR − deduction of its risk-limit tier.
 */
function bybitIsolated(input: LiquidationInput): number | null {
  const { side, contracts, entryPrice, walletBalance, tiers } = input;
  const maintenance = maintenanceMargin(contracts * entryPrice, tiers);
  const price = entryPrice - (sideSign(side) * (walletBalance - maintenance)) / contracts;
  return price > 0 ? price : null;
}

/**
 * Margin balance less maintenance margin the moment the position opens at its entry price, by the same inputs
 * {@link liquidationPrice} reads (in cross, the other positions' PnL and maintenance count). At or below zero the
 * exchange liquidates it at once: the case a null liquidation price cannot tell apart from "never".
 */
export function marginHeadroomAtEntry(input: LiquidationInput): number {
  validateInput(input);
  const cross = input.marginMode === 'cross' ? (input.others ?? []) : [];
  const balance = input.walletBalance - sum(cross.map(otherMaintenance)) + sum(cross.map(otherPnl));
  return balance - maintenanceMargin(input.contracts * input.entryPrice, input.tiers);
}

/**
 * The mark price at which the exchange liquidates this position, by the exchange's published formula.
 *
 * - `binanceusdm`: one-way mode, isolated or cross (cross counts `others`' maintenance margin and unrealised PnL at their mark).
 * - `bybit`: linear isolated only.
 *
 * @returns the liquidation price, or null when the position cannot be liquidated (for example an
 *   over-collateralised long) or the formula gives a price at or below zero. A short only gets null when the
 *   account is already below maintenance margin at every price, so never read null alone as "safe": check the
 *   margin balance against maintenance margin at entry too.
 * @throws RangeError on NaN, Infinity, negative or zero sizes and prices, a negative wallet balance,
 *   malformed tiers, or Bybit cross margin (not modelled: its account-level liquidation has no per-position formula).
 * @example
 * liquidationPrice({ exchange: 'bybit', side: 'long', contracts: 1, entryPrice: 20_000, marginMode: 'isolated',
 *   walletBalance: 400, tiers: [{ minNotional: 0, maxNotional: 2e6, maintenanceMarginRate: 0.005, maintenanceAmount: 0 }] }); // 19_700
 */
export function liquidationPrice(input: LiquidationInput): number | null {
  validateInput(input);
  if (input.exchange === 'binanceusdm') return binanceOneWay(input);
  if (input.marginMode === 'cross') throw new RangeError('Bybit cross-margin liquidation is not modelled: use isolated margin');
  return bybitIsolated(input);
}
