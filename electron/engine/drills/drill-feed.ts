import type { PriceFeed } from '../sim/types';
import { changeAt, fundingAt, type Scenario } from './scenario';

/** A scenario in force on a {@link DrillFeed}: it started (or starts) at `startTime`, simulated. */
export interface ActiveDrill {
  scenario: Scenario;
  startTime: number;
  /** Simulated time at which the scenario's last point is reached. */
  endTime: number;
  /** Each moved symbol's price when the drill started (known once the drill has seen it). */
  anchors: Record<string, number>;
}

/**
 * A price feed that can play a crash {@link Scenario} over another feed. While a drill runs, each
 * symbol it names follows `anchor × (1 + change%)`, where the anchor is the last price before the
 * start; the other symbols, and everything after {@link DrillFeed.stop}, come from the feed beneath,
 * which keeps running underneath so that its own path is unchanged. Funding settlements inside the
 * drill take the scenario's rate where it gives one.
 */
export interface DrillFeed extends PriceFeed {
  /** Plays `scenario` from simulated time `startTime` on (now, or later for a drill scheduled ahead); replaces a drill in force. */
  play(scenario: Scenario, startTime: number): ActiveDrill;
  /** Returns every price to the feed beneath. */
  stop(): void;
  /** The drill in force, or null. */
  active(): ActiveDrill | null;
}

export function createDrillFeed(inner: PriceFeed): DrillFeed {
  let drill: ActiveDrill | null = null;
  const lastPrice = new Map<string, number>();

  const started = (time: number): ActiveDrill | null => (drill && time >= drill.startTime ? drill : null);

  return {
    next(symbol, time) {
      const base = inner.next(symbol, time);
      const running = started(time);
      const path = running?.scenario.symbols[symbol]?.path;
      if (!running || !path?.length) {
        lastPrice.set(symbol, base.price);
        return base;
      }
      const anchor = (running.anchors[symbol] ??= lastPrice.get(symbol) ?? base.price);
      return { price: anchor * (1 + changeAt(path, (time - running.startTime) / 1000) / 100), volume: base.volume };
    },
    ...(inner.history ? { history: (symbol: string, until: number, bars: number) => inner.history!(symbol, until, bars) } : {}),
    end: () => inner.end?.(),
    fundingRate(symbol, fundingTime) {
      const running = started(fundingTime);
      const funding = running && fundingTime <= running.endTime ? running.scenario.symbols[symbol]?.funding : undefined;
      const rate = funding ? fundingAt(funding, (fundingTime - running!.startTime) / 1000) : undefined;
      return rate ?? inner.fundingRate?.(symbol, fundingTime);
    },
    play(scenario, startTime) {
      drill = { scenario, startTime, endTime: startTime + scenario.durationS * 1000, anchors: {} };
      return drill;
    },
    stop() {
      drill = null;
    },
    active: () => drill,
  };
}
