import { z } from 'zod';
import { TIMEFRAMES } from './domain';
import { DEFAULT_GLOBAL_PANIC_CHORD, globalPanicChordProblem } from './panic-chord';

/** The hard ceiling on leverage: no setting, proposal or UI control may pass it. */
export const HARD_LEVERAGE_CEILING = 20;

const fraction = z.number().finite().gt(0).lte(1);
const percent = z.number().finite().gt(0).lte(100);
const positive = z.number().finite().gt(0);

export const riskSettingsSchema = z.object({
  /** Fraction of equity risked per trade (0.01 = 1%). */
  riskPerTrade: z.number().finite().gt(0).lte(0.05),
  /** The user's leverage cap. */
  maxLeverage: z.number().finite().gte(1).lte(HARD_LEVERAGE_CEILING),
  minRewardRisk: z.number().finite().gte(0).lte(20),
  /** The stop must sit at most this fraction of the way from entry to liquidation. */
  liquidationBuffer: z.number().finite().gt(0).lt(1),
  /** Largest notional of one position, as a multiple of equity. */
  maxPositionNotional: positive,
  /** Largest total notional, as a multiple of equity. */
  maxTotalExposure: positive,
  marginMode: z.enum(['isolated', 'cross']),
  /** Approval refuses when price moved more than this percent since the proposal. */
  priceTolerancePct: percent,
  /** A strategy's proposal expires after this many candles of the strategy's timeframe, or after `proposalTtlMs` if that is sooner. */
  proposalTtlCandles: z.number().int().gte(1).lte(100),
  /** The time limit on every proposal: a manual ticket's whole life, and the cap on a strategy's. */
  proposalTtlMs: z.number().int().gte(5_000).lte(86_400_000),
});

export const breakerSettingsSchema = z.object({
  dailyLossPct: percent,
  weeklyLossPct: percent,
  consecutiveLosses: z.number().int().gte(1).lte(50),
  cooldownMinutes: z.number().int().gte(1).lte(10_080),
  maxDrawdownPct: percent,
  /** Total margin in use as a percent of equity. */
  maxTotalMarginPct: percent,
  /** One position's margin as a percent of equity. */
  maxPositionMarginPct: percent,
  marginRatioWarnPct: percent,
  marginRatioEmergencyPct: percent,
  /** Fraction of the position cut when the margin ratio passes its emergency level. */
  marginRatioReduceFraction: fraction,
  liquidationDistancePct: percent,
  /** Annualised realised volatility, in percent, above which entries stop. */
  volatilityHaltPct: positive,
  /** Whether a tripped daily or weekly loss limit also stops the strategies until its period ends or the user resumes them. */
  lossLimitsHaltStrategies: z.boolean().default(true),
  /** The strategies' own leverage cap, apart from the user's manual cap (a strategy's entry must pass both). */
  strategyMaxLeverage: z.number().finite().gte(1).lte(HARD_LEVERAGE_CEILING).default(5),
  /** Whether the volatility breaker also flattens everything (and stops the strategies) at `volatilityFlattenDailyPct`. Off by default. */
  volatilityFlattenEnabled: z.boolean().default(false),
  /** Realised volatility in daily terms, in percent, at which the volatility breaker flattens when enabled. */
  volatilityFlattenDailyPct: positive.default(8),
});

export const strategySettingsSchema = z.object({
  id: z.enum(['trend-pullback', 'adaptive-leverage']),
  enabled: z.boolean(),
  auto: z.boolean(),
  timeframe: z.enum(TIMEFRAMES),
  smaFast: z.number().int().gte(2).lte(500),
  smaSlow: z.number().int().gte(3).lte(1000),
  rsiPeriod: z.number().int().gte(2).lte(200),
  rsiLongBelow: z.number().gt(0).lt(100),
  rsiShortAbove: z.number().gt(0).lt(100),
  stopMode: z.enum(['percent', 'atr']),
  stopPct: z.number().gt(0).lte(50),
  atrPeriod: z.number().int().gte(2).lte(200),
  atrMultiplier: z.number().gt(0).lte(20),
  rewardRisk: z.number().gt(0).lte(20),
  maxConcurrentPositions: z.number().int().gte(1).lte(50),
  baseLeverage: z.number().gte(1).lte(HARD_LEVERAGE_CEILING),
  leverageCap: z.number().gte(1).lte(HARD_LEVERAGE_CEILING),
  /** Annualised realised-volatility threshold, as a fraction (0.8 = 80%). */
  volatilityThreshold: z.number().gt(0).lte(20),
  /** This strategy's own risk per trade, as a fraction of equity; left out, the strategy's default or the global setting applies. Capped by the global setting. */
  riskPerTrade: z.number().finite().gt(0).lte(0.05).optional(),
});

export const shortcutSettingsSchema = z.object({
  /** The system-wide panic chord (Electron accelerator syntax, desktop app only); see shared/panic-chord.ts. */
  globalPanic: z
    .string()
    .max(60)
    .superRefine((chord, ctx) => {
      const problem = globalPanicChordProblem(chord);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
});

const symbol = z.string().min(3).max(40).regex(/^[A-Z0-9]+\/[A-Z0-9]+(:[A-Z0-9]+)?$/, 'a unified symbol such as BTC/USDT:USDT');

/** The id of a strategy from a file in the strategies folder: `file:` and the file's name. */
export const STRATEGY_FILE_ID = /^file:[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}\.(ts|mts|js|mjs)$/;

/**
 * How the user runs one strategy file. Its parameters are checked against the
 * bounds the file declares when they are set, and again each time it loads.
 */
export const strategyFileSettingsSchema = z.object({
  id: z.string().regex(STRATEGY_FILE_ID, 'file: and a .ts, .js or .mjs file name'),
  enabled: z.boolean(),
  auto: z.boolean(),
  /** The watched symbols it may propose on; empty: every watched symbol. */
  symbols: z.array(symbol).max(20),
  /** Parameter values by name; a parameter left out takes the file's default. */
  params: z.record(z.string().min(1).max(64), z.number().finite()),
  maxConcurrentPositions: z.number().int().gte(1).lte(50),
});

export const settingsSchema = z
  .object({
    risk: riskSettingsSchema,
    breakers: breakerSettingsSchema,
    strategies: z.array(strategySettingsSchema).max(10),
    symbols: z.array(symbol).min(1).max(20),
    /** Settings kept before the shortcuts existed get the default chord. */
    shortcuts: shortcutSettingsSchema.default({ globalPanic: DEFAULT_GLOBAL_PANIC_CHORD }),
    /** Strategy files the user has configured; a file with no entry here is listed but off. */
    strategyFiles: z.array(strategyFileSettingsSchema).max(50).default([]),
  })
  .superRefine((s, ctx) => {
    if (s.breakers.marginRatioEmergencyPct <= s.breakers.marginRatioWarnPct) {
      ctx.addIssue({ code: 'custom', path: ['breakers', 'marginRatioEmergencyPct'], message: 'must be above the warning level' });
    }
    s.strategies.forEach((st, i) => {
      if (st.smaFast >= st.smaSlow) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'smaFast'], message: 'must be below the slow SMA period' });
      if (st.rsiLongBelow >= st.rsiShortAbove) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'rsiLongBelow'], message: 'must be below the short threshold' });
    });
    s.strategyFiles.forEach((file, i) => {
      if (s.strategyFiles.findIndex((other) => other.id === file.id) !== i) ctx.addIssue({ code: 'custom', path: ['strategyFiles', i, 'id'], message: 'each strategy file is listed once' });
    });
  });

export type RiskSettings = z.infer<typeof riskSettingsSchema>;
export type BreakerSettings = z.infer<typeof breakerSettingsSchema>;
export type StrategySettings = z.infer<typeof strategySettingsSchema>;
export type ShortcutSettings = z.infer<typeof shortcutSettingsSchema>;
export type StrategyFileSettings = z.infer<typeof strategyFileSettingsSchema>;
export type Settings = z.infer<typeof settingsSchema>;

const trendDefaults: Omit<StrategySettings, 'id'> = {
  enabled: true,
  auto: false,
  timeframe: '1m',
  smaFast: 10,
  smaSlow: 30,
  rsiPeriod: 14,
  rsiLongBelow: 35,
  rsiShortAbove: 65,
  stopMode: 'percent',
  stopPct: 3,
  atrPeriod: 20,
  atrMultiplier: 1.5,
  rewardRisk: 2,
  maxConcurrentPositions: 3,
  baseLeverage: 2,
  leverageCap: 5,
  volatilityThreshold: 0.8,
};

export const DEFAULT_SETTINGS: Settings = {
  risk: {
    riskPerTrade: 0.01,
    maxLeverage: 5,
    minRewardRisk: 1.5,
    liquidationBuffer: 0.5,
    maxPositionNotional: 3,
    maxTotalExposure: 5,
    marginMode: 'isolated',
    priceTolerancePct: 0.5,
    proposalTtlCandles: 2,
    proposalTtlMs: 120_000,
  },
  breakers: {
    dailyLossPct: 5,
    weeklyLossPct: 15,
    consecutiveLosses: 3,
    cooldownMinutes: 60,
    maxDrawdownPct: 20,
    maxTotalMarginPct: 60,
    maxPositionMarginPct: 20,
    marginRatioWarnPct: 50,
    marginRatioEmergencyPct: 80,
    marginRatioReduceFraction: 0.3,
    liquidationDistancePct: 5,
    volatilityHaltPct: 250,
    lossLimitsHaltStrategies: true,
    strategyMaxLeverage: 5,
    volatilityFlattenEnabled: false,
    volatilityFlattenDailyPct: 8,
  },
  strategies: [
    { id: 'trend-pullback', ...trendDefaults },
    { id: 'adaptive-leverage', ...trendDefaults, enabled: false, stopMode: 'atr', smaSlow: 50 },
  ],
  symbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'XRP/USDT:USDT'],
  shortcuts: { globalPanic: DEFAULT_GLOBAL_PANIC_CHORD },
  strategyFiles: [],
};

/** Field errors keyed by dotted path, for messages at the field. */
export function settingsFieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.')] = issue.message;
  return fields;
}
