import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { liquidationPrice } from '../../../shared/risk/liquidation';
import { toMarginTiers } from '../../../shared/risk/tiers';
import { defaultMarkets } from '../sim/markets';
import { trendPullback } from '../strategy/trend-pullback';
import { backtest, bars, BTC, flat, longAt, markOf, scripted, settingsWith, T0 } from './backtest-fixtures';
import { randomWalk } from './random-walk';

const MINUTE = 60_000;
const btcMarket = defaultMarkets().find((m) => m.symbol === BTC)!;
const pullback = DEFAULT_SETTINGS.strategies.find((s) => s.id === 'trend-pullback')!;

/** Signals one long at the close of the bar opening at `at`. */
const longOnceAt = (at: number, stopPct = 2, takeProfitPct = 4) => scripted((time, close, symbol) => (time === at ? longAt(symbol, close, stopPct, takeProfitPct) : null));

describe('the backtest runner', () => {
  it('gives byte-identical trades and summary for the same inputs', () => {
    const candles = randomWalk({ symbol: BTC, timeframe: '1m', bars: 30_000, start: T0, startPrice: 60_000, volatility: 0.001, seed: 11 });
    const run = () => backtest({ strategy: trendPullback(pullback), data: [{ candles }], slippage: undefined });
    const a = run();
    const b = run();
    expect(a.trades.length, 'the walk trades').toBeGreaterThan(5);
    expect(JSON.stringify(b.trades)).toBe(JSON.stringify(a.trades));
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
    expect(a.summary.candles).toBe(30_000);
  });

  it('enters at the next bar’s open, sized by shared/risk from equity and the stop distance', () => {
    const candles = bars([...flat(50_000, 2), [50_100, 50_100, 50_100, 50_100], ...flat(50_100, 3)]);
    const { trades } = backtest({ strategy: longOnceAt(T0 + MINUTE), data: [{ candles, mark: markOf(candles) }], settings: settingsWith({ risk: { priceTolerancePct: 0.5 } }) });
    expect(trades).toHaveLength(1);
    const [trade] = trades;
    expect(trade).toMatchObject({ entryTime: T0 + 2 * MINUTE, entryPrice: 50_100, stop: 49_000, takeProfit: 52_000, exitReason: 'end-of-data' });
    expect(trade!.qty).toBe(Math.floor(((10_000 * 0.01) / (50_100 - 49_000)) * 1000) / 1000);
  });

  it('sizes entries at the strategy’s own risk per trade, capped by the global setting, as live proposals are', () => {
    const candles = bars([...flat(50_000, 2), [50_100, 50_100, 50_100, 50_100], ...flat(50_100, 3)]);
    const qtyAt = (risk: number) => Math.floor(((10_000 * risk) / (50_100 - 49_000)) * 1000) / 1000;
    const run = (declared: number, global: number) =>
      backtest({ strategy: { ...longOnceAt(T0 + MINUTE), riskPerTrade: declared }, data: [{ candles, mark: markOf(candles) }], settings: settingsWith({ risk: { riskPerTrade: global } }) }).trades[0]!.qty;
    expect(run(0.015, 0.02)).toBe(qtyAt(0.015));
    expect(run(0.015, 0.01)).toBe(qtyAt(0.01));
  });

  it('refuses an entry when the next open moved past the price tolerance', () => {
    const candles = bars([...flat(50_000, 2), [51_000, 51_000, 51_000, 51_000], ...flat(51_000, 2)]);
    const result = backtest({ strategy: longOnceAt(T0 + MINUTE), data: [{ candles, mark: markOf(candles) }] });
    expect(result.trades).toEqual([]);
    expect(result.summary.entriesRefused).toBe(1);
  });

  it('takes the stop first when one bar reaches both the stop and the take-profit', () => {
    const candles = bars([...flat(50_000, 3), [50_000, 53_000, 48_000, 50_000], ...flat(50_000, 2)]);
    const { trades } = backtest({ strategy: longOnceAt(T0 + MINUTE), data: [{ candles, mark: markOf(candles) }] });
    expect(trades[0]).toMatchObject({ exitReason: 'stop', exitPrice: 49_000, exitTime: T0 + 3 * MINUTE });
    expect(trades[0]!.pnl).toBeCloseTo(trades[0]!.qty * (49_000 - 50_000), 6);
  });

  it('takes the take-profit when the bar reaches only it, and fills a gap past the stop at the open', () => {
    const tp = bars([...flat(50_000, 3), [50_000, 52_500, 49_900, 52_200], ...flat(52_200, 2)]);
    expect(backtest({ strategy: longOnceAt(T0 + MINUTE), data: [{ candles: tp, mark: markOf(tp) }] }).trades[0]).toMatchObject({ exitReason: 'take-profit', exitPrice: 52_000 });
    const gap = bars([...flat(50_000, 3), [48_500, 48_700, 48_300, 48_600], ...flat(48_600, 2)]);
    expect(backtest({ strategy: longOnceAt(T0 + MINUTE), data: [{ candles: gap, mark: markOf(gap) }] }).trades[0]).toMatchObject({ exitReason: 'stop', exitPrice: 48_500 });
  });

  it('closes on an exit signal at the next bar’s open', () => {
    const candles = bars([...flat(50_000, 3), [50_000, 50_300, 49_900, 50_200], [50_250, 50_400, 50_100, 50_300], ...flat(50_300, 2)]);
    const strategy = scripted((time, close, symbol) => {
      if (time === T0 + MINUTE) return longAt(symbol, close);
      if (time === T0 + 3 * MINUTE) return { kind: 'exit', symbol, reason: 'momentum faded' };
      return null;
    });
    const { trades } = backtest({ strategy, data: [{ candles, mark: markOf(candles) }] });
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ exitReason: 'exit-signal', exitTime: T0 + 4 * MINUTE, exitPrice: 50_250, exitNote: 'momentum faded' });
  });

  it('charges funding at each settlement from the funding file: −side × qty × mark × rate', () => {
    const start = Date.UTC(2024, 0, 1, 7, 56);
    const candles = bars(flat(50_000, 10), { start });
    const mark = markOf(candles);
    mark.open = mark.open.map((price, i) => price + i);
    const settlement = Date.UTC(2024, 0, 1, 8);
    const funding = { source: 'fixture funding', time: Float64Array.of(Date.UTC(2024, 0, 1, 0), settlement), rate: Float64Array.of(0.5, 0.0007) };
    const result = backtest({ strategy: longOnceAt(start + MINUTE), data: [{ candles, mark, funding }] });
    const [trade] = result.trades;
    const markAtSettlement = mark.open[4]!;
    expect(mark.time[4]).toBe(settlement);
    expect(trade!.funding).toBeCloseTo(-1 * trade!.qty * markAtSettlement * 0.0007, 10);
    expect(result.summary.funding).toBe(trade!.funding);
  });

  it('liquidates at the price shared/risk computes, filling at the bankruptcy price, when the mark gaps past it', () => {
    const settings = settingsWith({ risk: { maxLeverage: 20 }, breakers: { liquidationDistancePct: 3, strategyMaxLeverage: 20 } });
    const strategy = scripted((time, close, symbol) => (time === T0 + MINUTE ? { ...longAt(symbol, close, 1, 2), leverage: 20 } : null));
    const run = (gapOpen: number) => {
      const candles = bars([...flat(50_000, 3), [gapOpen, gapOpen, gapOpen, gapOpen], ...flat(gapOpen, 2)]);
      return backtest({ strategy, data: [{ candles, mark: markOf(candles) }], settings });
    };
    const probe = run(50_000).trades[0]!;
    const expected = liquidationPrice({
      exchange: 'binanceusdm',
      side: 'long',
      contracts: probe.qty,
      entryPrice: probe.entryPrice,
      marginMode: 'isolated',
      walletBalance: (probe.qty * probe.entryPrice) / 20,
      tiers: toMarginTiers(btcMarket.tiers),
    })!;
    expect(probe.liquidationPrice).toBeCloseTo(expected, 6);
    const beyond = run(Math.floor(expected) - 1);
    expect(beyond.trades[0]).toMatchObject({ exitReason: 'liquidation', exitTime: T0 + 3 * MINUTE });
    expect(beyond.trades[0]!.exitPrice).toBeCloseTo(probe.entryPrice - 50_000 / 20, 6);
    expect(beyond.summary.liquidations).toBe(1);
    const short = run(Math.ceil(expected) + 1);
    expect(short.trades[0]).toMatchObject({ exitReason: 'stop' });
    expect(short.summary.liquidations).toBe(0);
  });

  it('enters a signal without leverage at the lowest whole leverage that passes, as the engine does', () => {
    const strategy = scripted((time, close, symbol) =>
      time === T0 + MINUTE ? { symbol, side: 'long', entry: close, stop: close * 0.98, takeProfit: close * 1.04, reason: 'no leverage named' } : null,
    );
    const candles = bars(flat(50_000, 6));
    const result = backtest({ strategy, data: [{ candles, mark: markOf(candles) }], settings: settingsWith({}) });
    const trade = result.trades[0]!;
    expect(trade).toBeDefined();
    expect((trade.qty * trade.entryPrice) / 3 / 10_000).toBeLessThanOrEqual(0.2);
    expect((trade.qty * trade.entryPrice) / 2 / 10_000).toBeGreaterThan(0.2);
    expect(trade.leverage).toBe(3);
  });

  it('stops entries for a tripped breaker’s period and lets them go again after it', () => {
    const rows = Array.from({ length: 200 }, () => [50_000, 50_000, 49_000, 50_000] as [number, number, number, number]);
    const candles = bars([...flat(50_000, 1), ...rows]);
    const settings = settingsWith({ breakers: { consecutiveLosses: 3, cooldownMinutes: 60, dailyLossPct: 50, weeklyLossPct: 50, maxDrawdownPct: 50 } });
    const strategy = scripted((_time, close, symbol) => longAt(symbol, close));
    const result = backtest({ strategy, data: [{ candles, mark: markOf(candles) }], settings });
    const trip = result.breakerTrips.find((t) => t.breaker === 'consecutive-losses')!;
    expect(trip).toMatchObject({ action: 'block-entries', until: trip.time + 60 * MINUTE });
    expect(result.trades.filter((t) => t.exitTime <= trip.time)).toHaveLength(3);
    expect(result.trades.filter((t) => t.entryTime > trip.time && t.entryTime < trip.until!), 'no entry while tripped').toEqual([]);
    expect(result.trades.some((t) => t.entryTime >= trip.until!), 'entries again once it re-arms').toBe(true);
    expect(result.summary.breakerTrips).toBe(result.breakerTrips.length);
  });

  it('runs in cross margin too, with liquidation prices from the cross wallet, and the accounts still add up', () => {
    const candles = randomWalk({ symbol: BTC, timeframe: '1m', bars: 20_000, start: T0, startPrice: 60_000, volatility: 0.001, seed: 11 });
    const cross = backtest({ strategy: trendPullback(pullback), data: [{ candles }], settings: settingsWith({ risk: { marginMode: 'cross' } }), slippage: undefined });
    const isolated = backtest({ strategy: trendPullback(pullback), data: [{ candles }], slippage: undefined });
    expect(cross.trades.length).toBeGreaterThan(0);
    const [c, i] = [cross.trades[0]!, isolated.trades[0]!];
    expect(c.entryTime).toBe(i.entryTime);
    expect(Math.abs(c.liquidationPrice! - c.entryPrice), 'the whole wallet backs a cross position: liquidation lies further away').toBeGreaterThan(Math.abs(i.liquidationPrice! - i.entryPrice));
  });

  it('warms the strategy up on bars before --from without trading them', () => {
    const candles = bars(flat(50_000, 10));
    const strategy = scripted((_time, close, symbol) => longAt(symbol, close));
    const result = backtest({ strategy, data: [{ candles, mark: markOf(candles) }], from: T0 + 5 * MINUTE });
    expect(result.summary.candles).toBe(5);
    expect(result.trades.every((t) => t.entryTime >= T0 + 6 * MINUTE)).toBe(true);
    expect(result.equity.time[0]).toBe(T0 + 5 * MINUTE);
  });

  it('reports progress and stops when cancelled, saying so', () => {
    const candles = randomWalk({ symbol: BTC, timeframe: '1m', bars: 5_000, start: T0, startPrice: 60_000, volatility: 0.001, seed: 3 });
    const seen: number[] = [];
    const result = backtest({
      strategy: trendPullback(pullback),
      data: [{ candles }],
      progressEvery: 1_000,
      onProgress: (done) => seen.push(done),
      isCancelled: () => seen.length >= 2,
    });
    expect(result.cancelled).toBe(true);
    expect(seen).toEqual([1_000, 2_000, 2_000]);
    expect(result.equity.time.length).toBe(2_000);
  });

  it('says clearly when a strategy throws, naming the strategy, symbol and bar', () => {
    const candles = bars(flat(50_000, 3));
    const strategy = scripted((time) => {
      if (time === T0 + MINUTE) throw new Error('division by zero');
      return null;
    });
    expect(() => backtest({ strategy, data: [{ candles }] })).toThrow(`strategy scripted on ${BTC} at 2024-01-01T00:01:00.000Z threw: division by zero`);
  });
});
