import type { Rng } from './random';

/** Binance's interest rate component: 0.01% per 8-hour funding interval. */
export const FUNDING_INTEREST_RATE = 0.0001;
/** The premium may move funding this far from the interest rate before the premium takes over. */
const FUNDING_CLAMP = 0.0005;
/** Funding rates are capped at ±0.3% per interval. */
export const FUNDING_RATE_CAP = 0.003;
export const FUNDING_INTERVAL_MS = 8 * 3_600_000;

/** Mean-reversion time and stationary spread of the default premium (perpetual over index). */
const PREMIUM_REVERSION_MS = 60_000;
const PREMIUM_STD = 0.0003;
/** How quickly the mark price follows the premium: an exponential average over about 30 s. */
const MARK_SMOOTHING_MS = 30_000;

export interface MarkState {
  index: number;
  mark: number;
  /** (mark − index) ÷ index now. */
  premiumIndex: number;
}

/** The funding rate Binance derives from the average premium index: P + clamp(I − P, ±0.05%), capped. */
export function fundingRateFromPremium(averagePremium: number): number {
  const clamped = Math.min(Math.max(FUNDING_INTEREST_RATE - averagePremium, -FUNDING_CLAMP), FUNDING_CLAMP);
  return Math.min(Math.max(averagePremium + clamped, -FUNDING_RATE_CAP), FUNDING_RATE_CAP);
}

/** The first funding settlement strictly after `time` (00:00, 08:00 and 16:00 UTC). */
export function nextFundingTime(time: number): number {
  return (Math.floor(time / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS;
}

/**
 * One symbol's index and mark price. The feed gives the last trade price; the index sits below it by
 * the premium, and the mark is the index plus a smoothed premium, so a sudden wick in the last price
 * moves the mark only partly. Funding comes from the premium index averaged over the interval.
 */
export class MarkPriceModel {
  private premium = 0;
  private smoothedPremium = 0;
  private premiumArea = 0;
  private premiumSpan = 0;
  private lastTime: number | null = null;
  private index = 0;
  private state: MarkState | null = null;

  constructor(
    private readonly rng: Rng,
    private readonly premiumAt?: (time: number) => number,
  ) {}

  update(last: number, time: number): MarkState {
    this.step(last, time);
    return this.current();
  }

  /**
   * Moves the model to `time` at last price `last` and returns the mark, building no state object:
   * for callers that step through millions of bars. `current()` still describes the new state.
   */
  step(last: number, time: number): number {
    const dt = this.lastTime === null ? 0 : Math.max(0, time - this.lastTime);
    this.premium = this.premiumAt ? this.premiumAt(time) : this.nextPremium(dt);
    if (!Number.isFinite(this.premium) || this.premium <= -1) throw new Error(`Premium must be a finite number above -1, got ${this.premium}`);
    const weight = this.lastTime === null ? 1 : 1 - Math.exp(-dt / MARK_SMOOTHING_MS);
    this.smoothedPremium += (this.premium - this.smoothedPremium) * weight;
    this.premiumArea += this.smoothedPremium * dt;
    this.premiumSpan += dt;
    this.lastTime = time;
    this.index = last / (1 + this.premium);
    this.state = null;
    return this.index * (1 + this.smoothedPremium);
  }

  current(): MarkState {
    if (this.lastTime === null) throw new Error('Mark price requested before the first price');
    return (this.state ??= { index: this.index, mark: this.index * (1 + this.smoothedPremium), premiumIndex: this.smoothedPremium });
  }

  /** The rate the next settlement would apply now. */
  predictedFundingRate(): number {
    return fundingRateFromPremium(this.premiumSpan > 0 ? this.premiumArea / this.premiumSpan : this.smoothedPremium);
  }

  /** Starts a new funding interval's premium average. */
  resetFundingAverage(): void {
    this.premiumArea = 0;
    this.premiumSpan = 0;
  }

  private nextPremium(dt: number): number {
    const keep = Math.exp(-dt / PREMIUM_REVERSION_MS);
    return this.premium * keep + PREMIUM_STD * Math.sqrt(1 - keep * keep) * this.rng.normal();
  }
}
