import type { StrategySettings } from '../../../shared/settings';
import { adaptiveLeverageStrategy } from './adaptive-leverage';
import type { Strategy } from './strategy';
import { trendPullback } from './trend-pullback';

const BUILDERS: Record<StrategySettings['id'], (settings: StrategySettings) => Strategy> = {
  'trend-pullback': trendPullback,
  'adaptive-leverage': adaptiveLeverageStrategy,
};

/** The built-in strategy a settings entry names, configured by it. */
export function buildStrategy(settings: StrategySettings): Strategy {
  return BUILDERS[settings.id](settings);
}
