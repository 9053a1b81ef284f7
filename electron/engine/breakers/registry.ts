import type { Breaker } from './breaker';
import { consecutiveLosses } from './consecutive-losses';
import { dailyLossLimit } from './daily-loss-limit';
import { drawdown } from './drawdown';
import { exposureCap } from './exposure-cap';
import { leverageCap } from './leverage-cap';
import { liquidationDistance } from './liquidation-distance';
import { marginRatio } from './margin-ratio';
import { positionExposureCap } from './position-exposure-cap';
import { volatilityFlatten } from './volatility-flatten';
import { volatilityHalt } from './volatility-halt';
import { weeklyLossLimit } from './weekly-loss-limit';

/** Every breaker the cockpit runs, in the order the UI lists them. */
export const BREAKERS: readonly Breaker[] = [
  dailyLossLimit,
  weeklyLossLimit,
  consecutiveLosses,
  drawdown,
  exposureCap,
  positionExposureCap,
  leverageCap,
  marginRatio,
  liquidationDistance,
  volatilityHalt,
  volatilityFlatten,
];
