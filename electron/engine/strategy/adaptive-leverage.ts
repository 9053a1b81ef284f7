import { ADX } from 'trading-signals';
import type { Candle } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import { exchangeLeverage } from '../proposals/entry-planner';
import { adaptiveLeverage } from './leverage-factors';
import { realisedVolatility } from './realised-volatility';
import type { Signal, Strategy, StrategyContext, SymbolStrategy } from './strategy';
import { PullbackIndicators, pullbackSignal } from './trend-pullback';

/** Returns used for realised volatility. */
export const VOLATILITY_WINDOW = 30;
export const ADX_PERIOD = 14;

/**
 * Adaptive leverage: the trend-pullback entries with an ATR stop, and the
 * leverage computed each time from base leverage times a volatility, a trend
 * (ADX) and a drawdown factor, capped by the strategy and the user.
 */
export function adaptiveLeverageStrategy(settings: StrategySettings): Strategy {
  const probe = new PullbackIndicators(settings);
  const adxProbe = new ADX(ADX_PERIOD);
  return {
    id: settings.id,
    label: 'Adaptive leverage',
    timeframe: settings.timeframe,
    warmup: Math.max(probe.warmup, adxProbe.getRequiredInputs(), VOLATILITY_WINDOW + 1),
    forSymbol(symbol: string): SymbolStrategy {
      const indicators = new PullbackIndicators(settings);
      const adx = new ADX(ADX_PERIOD);
      const closes: number[] = [];
      return {
        onCandle(candle: Candle, context: StrategyContext): Signal | null {
          indicators.add(candle);
          adx.add({ high: candle.high, low: candle.low, close: candle.close });
          closes.push(candle.close);
          if (closes.length > VOLATILITY_WINDOW + 1) closes.shift();
          const reading = indicators.read();
          const trend = adx.getResult();
          if (!reading || trend === null || closes.length < VOLATILITY_WINDOW + 1) return null;
          const vol = realisedVolatility(closes, settings.timeframe);
          const leverage = adaptiveLeverage({
            base: settings.baseLeverage,
            cap: settings.leverageCap,
            userMax: context.maxLeverage,
            realisedVol: vol,
            volThreshold: settings.volatilityThreshold,
            adx: trend,
            drawdownPct: context.drawdownPct,
          });
          const why = `; leverage ${leverage.toFixed(2)}x computed, ${exchangeLeverage(leverage)}x applied, from vol ${(vol * 100).toFixed(0)}%, ADX ${trend.toFixed(1)}, drawdown ${context.drawdownPct.toFixed(1)}%`;
          return pullbackSignal(symbol, candle, reading, settings, { mode: 'atr', atr: reading.atr, multiplier: settings.atrMultiplier }, leverage, why);
        },
      };
    },
  };
}
