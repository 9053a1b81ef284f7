import { ATR, RSI, SMA } from 'trading-signals';
import type { Candle } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import { describePullback, pullbackSide } from './pullback-rule';
import type { Signal, Strategy, StrategyContext, SymbolStrategy } from './strategy';
import { stopPrice, takeProfitPrice, type StopRule } from './trade-levels';

/** The streaming indicators both built-in strategies read, fed one closed candle at a time. */
export class PullbackIndicators {
  readonly fast: SMA;
  readonly slow: SMA;
  readonly rsi: RSI;
  readonly atr: ATR;

  constructor(settings: Pick<StrategySettings, 'smaFast' | 'smaSlow' | 'rsiPeriod' | 'atrPeriod'>) {
    this.fast = new SMA(settings.smaFast);
    this.slow = new SMA(settings.smaSlow);
    this.rsi = new RSI(settings.rsiPeriod);
    this.atr = new ATR(settings.atrPeriod);
  }

  get warmup(): number {
    return Math.max(this.fast.getRequiredInputs(), this.slow.getRequiredInputs(), this.rsi.getRequiredInputs(), this.atr.getRequiredInputs());
  }

  add(candle: Candle): void {
    this.fast.add(candle.close);
    this.slow.add(candle.close);
    this.rsi.add(candle.close);
    this.atr.add({ high: candle.high, low: candle.low, close: candle.close });
  }

  /** The readings, or null until every indicator is stable. */
  read(): { smaFast: number; smaSlow: number; rsi: number; atr: number } | null {
    const smaFast = this.fast.getResult();
    const smaSlow = this.slow.getResult();
    const rsi = this.rsi.getResult();
    const atr = this.atr.getResult();
    if (smaFast === null || smaSlow === null || rsi === null || atr === null) return null;
    return { smaFast, smaSlow, rsi, atr };
  }
}

/** Builds the signal for a pullback entry at the candle's close, or null when the rule does not fire. */
export function pullbackSignal(
  symbol: string,
  candle: Candle,
  reading: NonNullable<ReturnType<PullbackIndicators['read']>>,
  settings: StrategySettings,
  stopRule: StopRule,
  leverage: number,
  extraReason = '',
): Signal | null {
  const side = pullbackSide(reading, settings);
  if (!side) return null;
  const entry = candle.close;
  const stop = stopPrice(side, entry, stopRule);
  return {
    symbol,
    side,
    entry,
    stop,
    takeProfit: takeProfitPrice(side, entry, stop, settings.rewardRisk),
    leverage,
    reason: `${side === 'long' ? 'Long' : 'Short'} pullback: ${describePullback(side, reading, settings)}${extraReason}`,
  };
}

/**
 * Trend pullback: SMA fast above slow with RSI below its long threshold enters
 * long (and the mirror image short). The stop is a percent of entry or a
 * multiple of ATR; the take-profit sits at the configured reward:risk.
 * It risks the global risk per trade, unless its settings name its own.
 */
export function trendPullback(settings: StrategySettings): Strategy {
  const probe = new PullbackIndicators(settings);
  return {
    id: settings.id,
    label: 'Trend pullback',
    timeframe: settings.timeframe,
    warmup: probe.warmup,
    ...(settings.riskPerTrade !== undefined ? { riskPerTrade: settings.riskPerTrade } : {}),
    forSymbol(symbol: string): SymbolStrategy {
      const indicators = new PullbackIndicators(settings);
      return {
        onCandle(candle: Candle, context: StrategyContext): Signal | null {
          indicators.add(candle);
          const reading = indicators.read();
          if (!reading) return null;
          const stopRule: StopRule =
            settings.stopMode === 'atr' ? { mode: 'atr', atr: reading.atr, multiplier: settings.atrMultiplier } : { mode: 'percent', pct: settings.stopPct };
          const leverage = Math.max(1, Math.min(settings.baseLeverage, settings.leverageCap, context.maxLeverage));
          return pullbackSignal(symbol, candle, reading, settings, stopRule, leverage);
        },
      };
    },
  };
}
