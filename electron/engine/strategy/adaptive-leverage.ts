import { ADX, ATR, SMA } from 'trading-signals';
import type { Candle } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import { exchangeLeverage } from '../proposals/entry-planner';
import { adaptiveLeverage } from './leverage-factors';
import { realisedVolatility } from './realised-volatility';
import type { Signal, Strategy, StrategyContext, SymbolStrategy } from './strategy';
import { stopPrice, takeProfitPrice } from './trade-levels';

/** Returns used for realised volatility. */
export const VOLATILITY_WINDOW = 30;
export const ADX_PERIOD = 14;
/** The guide's trend gate: ADX(14) must be above this to enter. */
export const ADX_ENTRY_ABOVE = 20;
/** The guide's risk per trade for this strategy (1.5% of equity), used unless its settings name another; the global setting still caps it. */
export const ADAPTIVE_RISK_PER_TRADE = 0.015;

/** The guide's entry gate: a close above the trend SMA while ADX says a trend is running. Long only. */
export function adaptiveEntry(reading: { close: number; sma: number; adx: number }): boolean {
  return reading.close > reading.sma && reading.adx > ADX_ENTRY_ABOVE;
}

class AdaptiveIndicators {
  readonly sma: SMA;
  readonly adx = new ADX(ADX_PERIOD);
  readonly atr: ATR;
  private readonly closes: number[] = [];

  constructor(settings: Pick<StrategySettings, 'smaSlow' | 'atrPeriod'>) {
    this.sma = new SMA(settings.smaSlow);
    this.atr = new ATR(settings.atrPeriod);
  }

  get warmup(): number {
    return Math.max(this.sma.getRequiredInputs(), this.adx.getRequiredInputs(), this.atr.getRequiredInputs(), VOLATILITY_WINDOW + 1);
  }

  add(candle: Candle): void {
    const hlc = { high: candle.high, low: candle.low, close: candle.close };
    this.sma.add(candle.close);
    this.adx.add(hlc);
    this.atr.add(hlc);
    this.closes.push(candle.close);
    if (this.closes.length > VOLATILITY_WINDOW + 1) this.closes.shift();
  }

  /** The readings, or null until every indicator is stable. */
  read(): { sma: number; adx: number; atr: number; closes: readonly number[] } | null {
    const sma = this.sma.getResult();
    const adx = this.adx.getResult();
    const atr = this.atr.getResult();
    if (sma === null || adx === null || atr === null || this.closes.length < VOLATILITY_WINDOW + 1) return null;
    return { sma, adx, atr, closes: this.closes };
  }
}

/**
 * Adaptive leverage, as the leverage guide describes it: long only, entering
 * on a close above the slow SMA (50 by default) while ADX(14) is above 20; the
 * stop sits ATR × multiplier (ATR(20) × 1.5 by default) below entry and the
 * take-profit at the configured reward:risk. Leverage is base leverage times a
 * volatility, a trend (ADX) and a drawdown factor, within 1× and the strategy's
 * and the user's caps. It risks its own share of equity per trade (1.5% unless
 * its settings name another), never more than the global setting.
 */
export function adaptiveLeverageStrategy(settings: StrategySettings): Strategy {
  return {
    id: settings.id,
    label: 'Adaptive leverage',
    timeframe: settings.timeframe,
    warmup: new AdaptiveIndicators(settings).warmup,
    riskPerTrade: settings.riskPerTrade ?? ADAPTIVE_RISK_PER_TRADE,
    forSymbol(symbol: string): SymbolStrategy {
      const indicators = new AdaptiveIndicators(settings);
      return {
        onCandle(candle: Candle, context: StrategyContext): Signal | null {
          indicators.add(candle);
          const reading = indicators.read();
          if (!reading || !adaptiveEntry({ close: candle.close, sma: reading.sma, adx: reading.adx })) return null;
          const vol = realisedVolatility(reading.closes, settings.timeframe);
          const leverage = adaptiveLeverage({
            base: settings.baseLeverage,
            cap: settings.leverageCap,
            userMax: context.maxLeverage,
            realisedVol: vol,
            volThreshold: settings.volatilityThreshold,
            adx: reading.adx,
            drawdownPct: context.drawdownPct,
          });
          const entry = candle.close;
          const stop = stopPrice('long', entry, { mode: 'atr', atr: reading.atr, multiplier: settings.atrMultiplier });
          return {
            symbol,
            side: 'long',
            entry,
            stop,
            takeProfit: takeProfitPrice('long', entry, stop, settings.rewardRisk),
            leverage,
            reason:
              `Long trend: close ${entry.toPrecision(6)} above SMA${settings.smaSlow} ${reading.sma.toPrecision(6)}, ADX${ADX_PERIOD} ${reading.adx.toFixed(1)} above ${ADX_ENTRY_ABOVE}; ` +
              `stop ${settings.atrMultiplier} × ATR${settings.atrPeriod} ${reading.atr.toPrecision(6)} below; ` +
              `leverage ${leverage.toFixed(2)}x computed, ${exchangeLeverage(leverage)}x applied, from vol ${(vol * 100).toFixed(0)}%, ADX ${reading.adx.toFixed(1)}, drawdown ${context.drawdownPct.toFixed(1)}%`,
          };
        },
      };
    },
  };
}
