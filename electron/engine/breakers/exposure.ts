import type { AccountState, Position } from '../../../shared/domain';
import { price, quantity, leverage as lev, usd } from '../../../shared/money';
import type { MarginTier } from '../../../shared/risk/liquidation';
import { distanceToLiquidationPct, initialMargin, marginRatio, unrealizedPnl } from '../../../shared/risk/measures';
import { maintenanceMargin } from '../../../shared/risk/tiers';
import type { PositionExposure } from './breaker';

export interface ExposureInputs {
  positions: readonly Position[];
  account: AccountState | null;
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

function reprice(p: Position, mark: number, tiers: readonly MarginTier[] | null): Repriced {
  const contracts = quantity(p.contracts);
  const upnl = unrealizedPnl(p.side, contracts, price(p.entryPrice), price(mark));
  const notionalNow = usd(p.contracts * mark);
  const leverage = lev(Math.max(1, p.leverage));
  const maintenance = tiers ? maintenanceMargin(notionalNow, tiers) : p.markPrice > 0 ? (p.maintenanceMargin * mark) / p.markPrice : p.maintenanceMargin;
  const isolatedWallet = p.marginMode === 'isolated' ? (p.contracts * p.entryPrice) / leverage : 0;
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
      margin: initialMargin(notionalNow, leverage),
      marginRatioPct: p.marginMode === 'isolated' ? ratioPct(maintenance, isolatedWallet + upnl) : null,
      distanceToLiquidationPct: distanceToLiquidationPct(p.side, price(mark), liquidation),
    },
  };
}

/**
 * The account re-measured at the latest marks, with the shared money math:
 * equity, each position's margin, margin ratio and distance to liquidation,
 * and the cross account's margin ratio.
 *
 * An isolated position's wallet is taken as its margin at entry (notional at
 * entry ÷ leverage); margin added by hand is not seen, which errs on the side
 * of a higher ratio.
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
