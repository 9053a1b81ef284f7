import type { AccountState, MarginMode, Position, Side } from '../domain';
import { leverage as asLeverage, price, quantity, usd } from '../money';
import type { MarginTier } from './liquidation';
import { distanceToLiquidationPct, initialMargin, marginRatio, unrealizedPnl } from './measures';
import { isolatedWalletOf } from './open-positions';
import { maintenanceMargin } from './tiers';

/** One open position re-measured at the latest mark price. */
export interface PositionExposure {
  symbol: string;
  side: Side;
  contracts: number;
  markPrice: number;
  leverage: number;
  marginMode: MarginMode;
  /** Margin the position ties up (notional ÷ leverage). */
  margin: number;
  /** Isolated: maintenance margin ÷ the position's margin balance, in percent. Cross: null (the account's ratio applies). */
  marginRatioPct: number | null;
  /** Percent of mark between mark and liquidation; null when it cannot be liquidated. */
  distanceToLiquidationPct: number | null;
}

export type ExposedPosition = Pick<
  Position,
  'symbol' | 'side' | 'contracts' | 'entryPrice' | 'markPrice' | 'leverage' | 'marginMode' | 'maintenanceMargin' | 'isolatedWallet' | 'liquidationPrice'
>;

export interface ExposureInputs {
  positions: readonly ExposedPosition[];
  account: Pick<AccountState, 'walletBalance'> | null;
  /** Latest mark price per symbol; a position without one keeps its own mark. */
  marks: ReadonlyMap<string, number>;
  /** The symbol's maintenance-margin tiers, when its market is known. */
  tiers: (symbol: string) => readonly MarginTier[] | null;
}

export interface Exposure {
  equity: number | null;
  accountMarginRatioPct: number | null;
  positions: PositionExposure[];
}

/** The exchange liquidates at a margin ratio of 100%; past that the figure means nothing more. */
const ratioPct = (maintenance: number, balance: number): number => Math.min(100, marginRatio(usd(Math.max(0, maintenance)), usd(balance)) * 100);

interface Repriced {
  exposure: PositionExposure;
  upnl: number;
  maintenance: number;
  isolatedWallet: number;
}

function reprice(p: ExposedPosition, mark: number, tiers: readonly MarginTier[] | null): Repriced {
  const upnl = unrealizedPnl(p.side, quantity(p.contracts), price(p.entryPrice), price(mark));
  const notionalNow = usd(p.contracts * mark);
  const maintenance = tiers ? maintenanceMargin(notionalNow, tiers) : p.markPrice > 0 ? (p.maintenanceMargin * mark) / p.markPrice : p.maintenanceMargin;
  const isolatedWallet = isolatedWalletOf(p);
  const liquidation = p.liquidationPrice !== null && p.liquidationPrice > 0 ? price(p.liquidationPrice) : null;
  return {
    upnl,
    maintenance,
    isolatedWallet,
    exposure: {
      symbol: p.symbol,
      side: p.side,
      contracts: p.contracts,
      markPrice: mark,
      leverage: p.leverage,
      marginMode: p.marginMode,
      margin: initialMargin(notionalNow, asLeverage(Math.max(1, p.leverage))),
      marginRatioPct: p.marginMode === 'isolated' ? ratioPct(maintenance, isolatedWallet + upnl) : null,
      distanceToLiquidationPct: distanceToLiquidationPct(p.side, price(mark), liquidation),
    },
  };
}

/**
 * The account re-measured at the latest marks: equity, each position's margin,
 * margin ratio and distance to liquidation, and the cross account's margin ratio
 * (cross maintenance over the cross wallet plus cross PnL).
 */
export function measureExposure(inputs: ExposureInputs): Exposure {
  const open = inputs.positions.filter((p) => p.contracts > 0 && p.entryPrice > 0);
  const repriced = open.map((p) => {
    const mark = inputs.marks.get(p.symbol) ?? p.markPrice;
    return reprice(p, mark > 0 ? mark : p.entryPrice, inputs.tiers(p.symbol));
  });
  const account = inputs.account;
  if (!account) return { equity: null, accountMarginRatioPct: null, positions: repriced.map((r) => r.exposure) };
  const equity = account.walletBalance + repriced.reduce((sum, r) => sum + r.upnl, 0);
  const cross = repriced.filter((r) => r.exposure.marginMode === 'cross');
  const crossBalance = account.walletBalance - repriced.reduce((sum, r) => sum + r.isolatedWallet, 0) + cross.reduce((sum, r) => sum + r.upnl, 0);
  const crossMaintenance = cross.reduce((sum, r) => sum + r.maintenance, 0);
  return {
    equity,
    accountMarginRatioPct: cross.length ? ratioPct(crossMaintenance, crossBalance) : null,
    positions: repriced.map((r) => r.exposure),
  };
}
