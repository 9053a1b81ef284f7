import { createRng, type Rng } from '../random';
import { seedFor } from '../seed';
import type { PriceFeed } from '../types';

/** How one symbol's synthetic price moves. */
export interface SyntheticProfile {
  startPrice: number;
  /** Annualised volatility, as a fraction (0.6 = 60%). */
  annualVolatility: number;
  /** Average traded volume per second, in base asset. */
  volumePerSecond: number;
}

export interface SyntheticFeedOptions {
  seed: number;
  /** Start price per symbol; overrides the profile's. */
  startPrices?: Record<string, number>;
  /** Full profiles for symbols beyond the defaults, or to replace them. */
  profiles?: Record<string, SyntheticProfile>;
  /** GARCH(1,1) weights at one-second steps: shock weight α and persistence β (α + β < 1). */
  garch?: { alpha: number; beta: number };
  /** Average number of price jumps per simulated day (default 4). */
  jumpsPerDay?: number;
  /** Standard deviation of a jump's log-return (default 0.01). */
  jumpSize?: number;
}

export const DEFAULT_PROFILES: Readonly<Record<string, SyntheticProfile>> = {
  'BTC/USDT:USDT': { startPrice: 65_000, annualVolatility: 0.55, volumePerSecond: 2.5 },
  'ETH/USDT:USDT': { startPrice: 3_500, annualVolatility: 0.7, volumePerSecond: 35 },
  'SOL/USDT:USDT': { startPrice: 150, annualVolatility: 0.9, volumePerSecond: 350 },
  'XRP/USDT:USDT': { startPrice: 0.6, annualVolatility: 0.85, volumePerSecond: 17_000 },
};

const SECONDS_PER_YEAR = 365 * 86_400;
const DEFAULT_GARCH = { alpha: 0.03, beta: 0.965 };
/** How much of a jump's squared size feeds the next second's variance: volatility clusters after jumps. */
const JUMP_VARIANCE_WEIGHT = 0.0005;
/** Variance never exceeds this multiple of its long-run level. */
const MAX_VARIANCE_MULTIPLE = 25;

interface Point {
  logPrice: number;
  cumulativeVolume: number;
}

interface Path {
  rng: Rng;
  profile: SyntheticProfile;
  longRunVariance: number;
  variance: number;
  /** The whole second of {@link from}; {@link to} is one second later. */
  second: number;
  from: Point;
  to: Point;
  lastTime: number;
  lastCumulativeVolume: number;
}

function validateProfile(symbol: string, profile: SyntheticProfile): void {
  const positive = (n: number) => Number.isFinite(n) && n > 0;
  if (!positive(profile.startPrice)) throw new Error(`Synthetic feed: start price of ${symbol} must be above zero, got ${profile.startPrice}`);
  if (!positive(profile.annualVolatility)) throw new Error(`Synthetic feed: volatility of ${symbol} must be above zero, got ${profile.annualVolatility}`);
  if (!(profile.volumePerSecond >= 0)) throw new Error(`Synthetic feed: volume of ${symbol} must not be negative, got ${profile.volumePerSecond}`);
}

/**
 * A seeded synthetic price feed: log returns at one-second steps with GARCH(1,1) variance
 * (volatility clustering) and Poisson jumps that also lift the variance. Volume rises with volatility.
 *
 * Each symbol's path depends only on the seed, the symbol and the second it starts at, never on how
 * often it is sampled: prices between whole seconds are interpolated. Times must not go backwards.
 */
export function createSyntheticFeed(options: SyntheticFeedOptions): PriceFeed {
  const { alpha, beta } = options.garch ?? DEFAULT_GARCH;
  if (!(alpha >= 0 && beta >= 0 && alpha + beta < 1)) throw new Error(`Synthetic feed: GARCH needs alpha, beta >= 0 and alpha + beta < 1, got ${alpha}, ${beta}`);
  const jumpChance = (options.jumpsPerDay ?? 4) / 86_400;
  const jumpSize = options.jumpSize ?? 0.01;
  if (!(jumpChance >= 0 && jumpChance < 1) || !(jumpSize >= 0)) throw new Error('Synthetic feed: jumpsPerDay and jumpSize must be non-negative');
  const paths = new Map<string, Path>();

  const profileOf = (symbol: string): SyntheticProfile => {
    const base = options.profiles?.[symbol] ?? DEFAULT_PROFILES[symbol];
    const startPrice = options.startPrices?.[symbol] ?? base?.startPrice;
    if (!base || startPrice === undefined) {
      throw new Error(`Synthetic feed: no profile for ${symbol}; pass profiles["${symbol}"] or use one of ${Object.keys(DEFAULT_PROFILES).join(', ')}`);
    }
    const profile = { ...base, startPrice };
    validateProfile(symbol, profile);
    return profile;
  };

  const step = (path: Path, point: Point): Point => {
    const z = path.rng.normal();
    const diffusion = Math.sqrt(path.variance) * z;
    const jump = path.rng.next() < jumpChance ? path.rng.normal() * jumpSize : 0;
    const volumeNoise = 0.5 + path.rng.next();
    const intensity = Math.sqrt(path.variance / path.longRunVariance);
    const omega = path.longRunVariance * (1 - alpha - beta);
    path.variance = Math.min(
      omega + alpha * diffusion * diffusion + beta * path.variance + JUMP_VARIANCE_WEIGHT * jump * jump,
      path.longRunVariance * MAX_VARIANCE_MULTIPLE,
    );
    const jumpVolume = jump === 0 ? 0 : Math.abs(jump) / Math.sqrt(path.longRunVariance);
    return {
      logPrice: point.logPrice + diffusion + jump,
      cumulativeVolume: point.cumulativeVolume + path.profile.volumePerSecond * volumeNoise * (intensity + jumpVolume),
    };
  };

  const start = (symbol: string, time: number): Path => {
    const profile = profileOf(symbol);
    const longRunVariance = (profile.annualVolatility * profile.annualVolatility) / SECONDS_PER_YEAR;
    const from: Point = { logPrice: Math.log(profile.startPrice), cumulativeVolume: 0 };
    const path: Path = {
      rng: createRng(seedFor(options.seed, symbol)),
      profile,
      longRunVariance,
      variance: longRunVariance,
      second: Math.floor(time / 1000),
      from,
      to: from,
      lastTime: time,
      lastCumulativeVolume: 0,
    };
    path.to = step(path, from);
    return path;
  };

  return {
    next(symbol, time) {
      if (!Number.isFinite(time)) throw new Error(`Synthetic feed: time must be a finite number, got ${time}`);
      let path = paths.get(symbol);
      if (!path) {
        path = start(symbol, time);
        paths.set(symbol, path);
      }
      if (time < path.lastTime) throw new Error(`Synthetic feed: time went backwards for ${symbol} (${time} < ${path.lastTime})`);
      const second = Math.floor(time / 1000);
      while (path.second < second) {
        path.from = path.to;
        path.to = step(path, path.to);
        path.second++;
      }
      const fraction = (time - path.second * 1000) / 1000;
      const logPrice = path.from.logPrice + (path.to.logPrice - path.from.logPrice) * fraction;
      const cumulativeVolume = path.from.cumulativeVolume + (path.to.cumulativeVolume - path.from.cumulativeVolume) * fraction;
      const volume = cumulativeVolume - path.lastCumulativeVolume;
      path.lastTime = time;
      path.lastCumulativeVolume = cumulativeVolume;
      return { price: Math.exp(logPrice), volume };
    },
  };
}
