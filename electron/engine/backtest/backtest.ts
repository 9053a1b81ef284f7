import { TIMEFRAME_MS, type Candle, type MarketInfo } from '../../../shared/domain';
import { measureExposure, type ExposedPosition } from '../../../shared/risk/account-exposure';
import { crossAccount, openExposure, type HeldPosition } from '../../../shared/risk/open-positions';
import { roundDownToStep, roundToTick } from '../../../shared/risk/precision';
import { chooseLeverage, leverageCandidates } from '../../../shared/risk/leverage-choice';
import { planTrade, type TradePlan } from '../../../shared/risk/trade-plan';
import { riskPerTradeFor } from '../../../shared/risk/risk-per-trade';
import type { Settings } from '../../../shared/settings';
import { toMarginTiers } from '../../../shared/risk/tiers';
import { errorMessage } from '../../../shared/error-message';
import { entryLeverageCap, exchangeLeverage } from '../proposals/entry-planner';
import { asOtherPosition, positionFigures, positionLiquidationPrice } from '../sim/margin';
import { defaultMarkets } from '../sim/markets';
import { decimalPlaces } from '../sim/order-rules';
import { applyTrade, FLAT, type Holding } from '../sim/position-ledger';
import { DEFAULT_SLIPPAGE, marketFillPrice, validateSlippageModel } from '../sim/slippage';
import type { SlippageModel } from '../sim/types';
import { isExitSignal, type Signal, type Strategy, type StrategyContext, type StrategyDecision, type SymbolStrategy } from '../strategy/strategy';
import { validateDecision } from '../strategy/strategy-runner';
import { BacktestBreakers, type AccountView } from './backtest-breakers';
import { sliceSeries } from './candle-series';
import { barHit, BarOutcome, type BarHit } from './intrabar';
import { markPath, type MarkPath } from './mark-path';
import { summarize } from './summary';
import type { BacktestOptions, BacktestResult, BacktestTrade, CandleSeries, ExitReason } from './types';

const DEFAULT_PROGRESS_EVERY = 65_536;
const DEFAULT_MAX_CONCURRENT = 3;

/** One symbol's bars, mark path, strategy state and position during a run. */
interface SymbolRun {
  symbol: string;
  market: MarketInfo;
  candles: CandleSeries;
  path: MarkPath;
  /** Global step of this symbol's first bar. */
  offset: number;
  normalize: (q: number) => number;
  strategy: SymbolStrategy;
  /** Reused for every bar: strategies copy what they keep. */
  candle: Candle;
  seen: number;
  nextSettlement: number;
  volumePerMinute: number;
  holding: Holding;
  leverage: number;
  isolatedWallet: number;
  stop: number;
  takeProfit: number;
  liquidation: number;
  trade: BacktestTrade | null;
  pendingEntry: Signal | null;
  pendingExit: string | null;
  /** Latest mark (close × premium), and the bar's adverse and favourable marks and raw prices. */
  mark: number;
  adverseMark: number;
  adverseLast: number;
  favourableMark: number;
  /** Adverse mark at the breakers' last look. */
  evaluatedMark: number;
  hasBar: boolean;
}

function where(run: SymbolRun, strategyId: string): string {
  return `strategy ${strategyId} on ${run.symbol} at ${new Date(run.candle.time).toISOString()}`;
}

/** The strategy's answer to the bar in `run.candle`, or a clear error naming the strategy, symbol and bar. */
function ask(run: SymbolRun, strategyId: string, context: StrategyContext): StrategyDecision | null {
  let decision: ReturnType<SymbolStrategy['onCandle']>;
  try {
    decision = run.strategy.onCandle(run.candle, context);
  } catch (error) {
    throw new Error(`${where(run, strategyId)} threw: ${errorMessage(error)}`);
  }
  if (decision === null || decision === undefined) return null;
  if (decision instanceof Promise) throw new Error(`${where(run, strategyId)} returned a promise: a backtest needs onCandle to answer at once`);
  return decision;
}

/** A decision the backtest acts on, checked as the live runner checks it. */
function checked(run: SymbolRun, strategyId: string, decision: StrategyDecision): StrategyDecision {
  try {
    return validateDecision(decision, run.symbol);
  } catch (error) {
    throw new Error(`${where(run, strategyId)} gave a bad signal: ${errorMessage(error)}`);
  }
}

function stateFor(strategy: Strategy, symbol: string): SymbolStrategy {
  try {
    return strategy.forSymbol(symbol);
  } catch (error) {
    throw new Error(`strategy ${strategy.id} could not start on ${symbol}: forSymbol threw: ${errorMessage(error)}`);
  }
}

/**
 * Runs a strategy over candles, bar by bar, with the paper exchange's physics:
 * each closed bar goes to the strategy's `onCandle`; an entry signal is
 * re-checked at the next bar's open against the price tolerance, sized and
 * checked by shared/risk and the breakers exactly as a live approval, and filled
 * there as a market order (slippage and taker fee as the simulator's); its stop
 * and take-profit are reduce-only mark-price orders, filled by the intrabar rule
 * (`barHit`); an exit signal closes at the next bar's open. Funding settles at
 * each settlement; liquidation happens at the liquidation price shared/risk
 * gives, filled at the bankruptcy price as the simulator fills it. Breakers trip
 * and act by simulated time. Deterministic: the same inputs give the same result.
 *
 * Synchronous and CPU-bound: in an app, run it in a worker thread (see
 * `backtest-worker.ts`) with `onProgress` and `isCancelled`.
 */
export function runBacktest(options: BacktestOptions): BacktestResult {
  const started = performance.now();
  return new BacktestRun(options).run(started);
}

class BacktestRun {
  private readonly runs: SymbolRun[];
  private readonly tf: number;
  private readonly start: number;
  private readonly steps: number;
  private readonly tradeFrom: number;
  private readonly slippage: SlippageModel;
  private readonly breakers: BacktestBreakers;
  private readonly maxConcurrent: number;
  private readonly trades: BacktestTrade[] = [];
  private readonly context: StrategyContext;
  /** The risk per trade that sizes every entry: the strategy's own figure, capped by the global setting, as live. */
  private readonly risk: Settings['risk'];
  private readonly hit: BarHit = { outcome: BarOutcome.None, last: 0 };
  private wallet: number;
  private peak: number;
  private open = 0;
  private pending = 0;
  private dirty = true;
  private evaluatedDay = -1;
  /** The best equity the breakers have seen: a bar must beat it to move their peak. */
  private evaluatedPeak = -Infinity;
  private entriesRefused = 0;
  private exposedSteps = 0;

  constructor(private readonly options: BacktestOptions) {
    const { balance, data, strategy, settings } = options;
    if (!(Number.isFinite(balance) && balance > 0)) throw new Error(`The starting balance must be a number of USDT above zero, got ${balance}`);
    if (data.length === 0) throw new Error('A backtest needs the candles of at least one symbol');
    this.slippage = options.slippage ?? DEFAULT_SLIPPAGE;
    validateSlippageModel(this.slippage);
    this.tf = TIMEFRAME_MS[strategy.timeframe];
    const markets = options.markets ?? defaultMarkets();
    const from = options.from ?? -Infinity;
    const to = options.to ?? Infinity;
    const seen = new Set<string>();
    const sliced = data.map((d) => {
      if (d.candles.timeframe !== strategy.timeframe) throw new Error(`${d.candles.source}: ${d.candles.timeframe} candles, but strategy ${strategy.id} runs on ${strategy.timeframe}`);
      if (seen.has(d.candles.symbol)) throw new Error(`${d.candles.symbol} is given twice`);
      seen.add(d.candles.symbol);
      const candles = sliceSeries(d.candles, -Infinity, to);
      if (candles.time.length === 0 || candles.time[candles.time.length - 1]! < from) throw new Error(`${d.candles.source}: no bars between ${isoOrOpen(from)} and ${isoOrOpen(to)}`);
      return { ...d, candles };
    });
    this.start = Math.min(...sliced.map((d) => d.candles.time[0]!));
    const end = Math.max(...sliced.map((d) => d.candles.time[d.candles.time.length - 1]!));
    this.steps = (end - this.start) / this.tf + 1;
    this.tradeFrom = Math.max(0, Math.ceil((from - this.start) / this.tf));
    this.runs = sliced.map((d) => {
      const market = markets.find((m) => m.symbol === d.candles.symbol);
      if (!market) throw new Error(`No market specification for ${d.candles.symbol}; known: ${markets.map((m) => m.symbol).join(', ')}`);
      const stepDecimals = decimalPlaces(market.amountStep);
      return {
        symbol: d.candles.symbol,
        market,
        candles: d.candles,
        path: markPath(d, options.seed ?? 1),
        offset: (d.candles.time[0]! - this.start) / this.tf,
        normalize: (q: number) => Number(q.toFixed(stepDecimals)),
        strategy: stateFor(strategy, d.candles.symbol),
        candle: { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 },
        seen: 0,
        nextSettlement: 0,
        volumePerMinute: 0,
        holding: FLAT,
        leverage: 1,
        isolatedWallet: 0,
        stop: 0,
        takeProfit: 0,
        liquidation: NaN,
        trade: null,
        pendingEntry: null,
        pendingExit: null,
        mark: d.candles.close[0]!,
        adverseMark: 0,
        adverseLast: 0,
        favourableMark: 0,
        evaluatedMark: 0,
        hasBar: false,
      } satisfies SymbolRun;
    });
    this.wallet = balance;
    this.peak = balance;
    this.breakers = new BacktestBreakers(settings);
    this.maxConcurrent = options.maxConcurrentPositions ?? DEFAULT_MAX_CONCURRENT;
    this.context = { equity: balance, drawdownPct: 0, maxLeverage: settings.risk.maxLeverage };
    this.risk = { ...settings.risk, riskPerTrade: riskPerTradeFor(strategy.riskPerTrade, settings.risk.riskPerTrade).fraction };
  }

  /** `started`: when the run began (its set-up, the mark path included, counts in its wall time). */
  run(started: number): BacktestResult {
    const recorded = Math.max(0, this.steps - this.tradeFrom);
    const time = new Float64Array(recorded);
    const equity = new Float64Array(recorded);
    const drawdownPct = new Float64Array(recorded);
    const every = this.options.progressEvery ?? DEFAULT_PROGRESS_EVERY;
    let cancelled = false;
    let candles = 0;
    let step = 0;
    for (; step < this.steps; step++) {
      if (step % every === 0 && step > 0) {
        this.options.onProgress?.(step, this.steps);
        if (this.options.isCancelled?.()) {
          cancelled = true;
          break;
        }
      }
      const t = this.start + step * this.tf;
      const trading = step >= this.tradeFrom;
      for (let k = 0; k < this.runs.length; k++) {
        const run = this.runs[k]!;
        const i = step - run.offset;
        run.hasBar = i >= 0 && i < run.candles.time.length;
        if (!run.hasBar) continue;
        this.bar(run, i, t, trading);
        if (trading) candles++;
      }
      if (!trading) continue;
      const value = this.closeOfStep(t);
      if (this.open > 0) this.exposedSteps++;
      const r = step - this.tradeFrom;
      time[r] = t;
      equity[r] = value;
      if (value > this.peak) this.peak = value;
      drawdownPct[r] = this.peak > 0 ? ((this.peak - value) / this.peak) * 100 : 0;
      this.context.equity = value;
      this.context.drawdownPct = drawdownPct[r]!;
    }
    const done = cancelled ? Math.max(0, step - this.tradeFrom) : recorded;
    if (!cancelled) for (const run of this.runs) if (run.holding.amt !== 0) this.closeAt(run, run.candles.close[run.candles.time.length - 1]!, this.lastTime(run), 'end-of-data', null, false);
    this.checkAccounts();
    this.options.onProgress?.(cancelled ? step : this.steps, this.steps);
    const wallMs = performance.now() - started;
    const curve = { time: time.subarray(0, done), equity: equity.subarray(0, done), drawdownPct: drawdownPct.subarray(0, done) };
    const summary = summarize({
      strategy: this.options.strategy.id,
      symbols: this.runs.map((r) => r.symbol),
      timeframe: this.options.strategy.timeframe,
      candles,
      startBalance: this.options.balance,
      finalEquity: this.wallet,
      trades: this.trades,
      curve,
      breakerTrips: this.breakers.trips.length,
      entriesRefused: this.entriesRefused,
      exposedSteps: this.exposedSteps,
    });
    return {
      summary,
      timing: { wallMs, candlesPerS: wallMs > 0 ? Math.round((candles / wallMs) * 1000) : 0 },
      trades: this.trades,
      equity: curve,
      breakerTrips: this.breakers.trips,
      cancelled,
    };
  }

  /** Every run checks its books: final equity = balance + Σ pnl − Σ fees + Σ funding (open trades' fees and funding included). */
  private checkAccounts(): void {
    let sum = this.options.balance;
    for (const t of this.trades) sum += t.pnl - t.fees + t.funding;
    for (const run of this.runs) if (run.trade) sum += run.trade.funding - run.trade.fees;
    const gap = this.wallet - sum;
    if (!(Math.abs(gap) <= 1e-6 * Math.max(1, this.options.balance))) throw new Error(`The backtest's accounts do not add up: the wallet is ${this.wallet}, the trades give ${sum} (${gap} apart)`);
  }

  private lastTime(run: SymbolRun): number {
    return run.candles.time[run.candles.time.length - 1]! + this.tf;
  }

  /** One symbol's bar: funding, the orders waiting for its open, the intrabar path, then the strategy at its close. */
  private bar(run: SymbolRun, i: number, t: number, trading: boolean): void {
    const c = run.candles;
    const open = c.open[i]!;
    const high = c.high[i]!;
    const low = c.low[i]!;
    const close = c.close[i]!;
    const r = run.path.factor[i]!;
    this.settleFunding(run, t);
    if (run.pendingExit !== null) {
      const note = run.pendingExit;
      run.pendingExit = null;
      if (run.holding.amt !== 0) this.closeAt(run, open, t, 'exit-signal', note, true);
    }
    if (run.pendingEntry !== null) {
      const signal = run.pendingEntry;
      run.pendingEntry = null;
      this.pending--;
      if (run.holding.amt === 0) this.enter(run, signal, open, t);
    }
    if (run.holding.amt !== 0) {
      const dir = run.holding.amt > 0 ? 1 : -1;
      const hit = barHit(this.hit, dir, open, high, low, r, run.stop, run.takeProfit, run.liquidation);
      if (hit.outcome === BarOutcome.Liquidation) this.liquidate(run, t);
      else if (hit.outcome === BarOutcome.Stop) this.closeAt(run, hit.last, t, 'stop', null, true);
      else if (hit.outcome === BarOutcome.TakeProfit) this.closeAt(run, hit.last, t, 'take-profit', null, true);
    }
    run.mark = close * r;
    if (run.holding.amt > 0) {
      run.adverseMark = low * r;
      run.adverseLast = low;
      run.favourableMark = high * r;
    } else {
      run.adverseMark = high * r;
      run.adverseLast = high;
      run.favourableMark = low * r;
    }
    run.volumePerMinute = (c.volume[i]! * 60_000) / this.tf;
    if (trading && i === c.time.length - 1 && run.holding.amt !== 0) this.closeAt(run, close, t + this.tf, 'end-of-data', null, false);
    const candle = run.candle;
    candle.time = t;
    candle.open = open;
    candle.high = high;
    candle.low = low;
    candle.close = close;
    candle.volume = c.volume[i]!;
    run.seen++;
    const id = this.options.strategy.id;
    const decision = ask(run, id, this.context);
    if (decision === null || !trading || run.seen <= this.options.strategy.warmup || i === c.time.length - 1) return;
    if (isExitSignal(decision)) {
      if (run.holding.amt !== 0) run.pendingExit = checked(run, id, decision).reason;
    } else if (run.holding.amt === 0 && run.pendingEntry === null && this.open + this.pending < this.maxConcurrent) {
      run.pendingEntry = checked(run, id, decision) as Signal;
      this.pending++;
    }
  }

  private settleFunding(run: SymbolRun, t: number): void {
    const path = run.path;
    while (run.nextSettlement < path.settlementTime.length && path.settlementTime[run.nextSettlement]! <= t) {
      const k = run.nextSettlement++;
      if (run.holding.amt === 0) continue;
      const payment = -run.holding.amt * path.settlementMark[k]! * path.settlementRate[k]!;
      this.wallet += payment;
      run.trade!.funding += payment;
      if (this.options.settings.risk.marginMode === 'isolated') {
        run.isolatedWallet += payment;
        run.liquidation = this.liquidationOf(run);
      }
      this.dirty = true;
    }
  }

  private crossWallet(): number {
    let isolated = 0;
    for (const run of this.runs) isolated += run.isolatedWallet;
    return this.wallet - isolated;
  }

  private held(except: SymbolRun | null): HeldPosition[] {
    const marginMode = this.options.settings.risk.marginMode;
    return this.runs
      .filter((r) => r !== except && r.holding.amt !== 0)
      .map((r) => ({
        symbol: r.symbol,
        side: r.holding.amt > 0 ? 'long' : 'short',
        contracts: Math.abs(r.holding.amt),
        entryPrice: r.holding.entryPrice,
        markPrice: r.mark,
        marginMode,
        isolatedWallet: r.isolatedWallet,
        leverage: r.leverage,
      }));
  }

  private liquidationOf(run: SymbolRun): number {
    const isolated = this.options.settings.risk.marginMode === 'isolated';
    const others = isolated
      ? []
      : this.runs
          .filter((r) => r !== run && r.holding.amt !== 0)
          .map((r) => asOtherPosition(r.holding, r.mark, positionFigures(r.holding, r.mark, r.leverage, r.market.tiers)));
    const price = positionLiquidationPrice({
      holding: run.holding,
      marginMode: isolated ? 'isolated' : 'cross',
      walletBalance: isolated ? run.isolatedWallet : this.crossWallet(),
      tiers: run.market.tiers,
      others,
    });
    return price === null ? NaN : price;
  }

  /** The account as the breakers and the pre-trade check see it, with each position at `markOf`. */
  private accountView(markOf: (run: SymbolRun) => number): AccountView {
    const marginMode = this.options.settings.risk.marginMode;
    const positions: ExposedPosition[] = [];
    const marks = new Map<string, number>();
    for (const r of this.runs) {
      if (r.holding.amt === 0) continue;
      const mark = markOf(r);
      marks.set(r.symbol, mark);
      positions.push({
        symbol: r.symbol,
        side: r.holding.amt > 0 ? 'long' : 'short',
        contracts: Math.abs(r.holding.amt),
        entryPrice: r.holding.entryPrice,
        markPrice: mark,
        leverage: r.leverage,
        marginMode,
        maintenanceMargin: 0,
        isolatedWallet: r.isolatedWallet,
        liquidationPrice: r.liquidation === r.liquidation ? r.liquidation : null,
      });
    }
    const exposure = measureExposure({ positions, account: { walletBalance: this.wallet }, marks, tiers: (symbol) => toMarginTiers(this.runs.find((r) => r.symbol === symbol)!.market.tiers) });
    return { equity: exposure.equity ?? this.wallet, accountMarginRatioPct: exposure.accountMarginRatioPct, positions: exposure.positions };
  }

  /** A signal reaching the next bar's open: re-checked there like a live approval, then filled or refused. */
  private enter(run: SymbolRun, signal: Signal, open: number, t: number): void {
    const { settings } = this.options;
    const movedPct = (Math.abs(open - signal.entry) / signal.entry) * 100;
    if (movedPct > settings.risk.priceTolerancePct) {
      this.entriesRefused++;
      return;
    }
    const others = this.held(run);
    let upnl = 0;
    let crossUpnl = 0;
    let crossMargin = 0;
    for (const p of others) {
      const u = (p.side === 'long' ? 1 : -1) * p.contracts * (p.markPrice - p.entryPrice);
      upnl += u;
      if (p.marginMode === 'cross') {
        crossUpnl += u;
        crossMargin += (p.contracts * p.markPrice) / p.leverage;
      }
    }
    const cross = settings.risk.marginMode === 'cross' ? crossAccount(this.wallet, others, (symbol) => this.runs.find((r) => r.symbol === symbol)!.market.tiers) : null;
    const planAt = (leverage: number): TradePlan => {
      const plan = planTrade({
        side: signal.side,
        entry: open,
        stop: signal.stop,
        takeProfit: signal.takeProfit,
        leverage,
        market: run.market,
        account: {
          equity: this.wallet + upnl,
          freeMargin: this.crossWallet() + crossUpnl - crossMargin,
          totalNotional: openExposure(others),
          walletBalance: cross?.walletBalance ?? this.wallet,
          openPositions: cross?.openPositions ?? [],
        },
        risk: this.risk,
        marginMode: settings.risk.marginMode,
        exchange: 'binanceusdm',
      });
      const gated = plan.verdict.ok && plan.quantity > 0 ? this.breakers.entryViolations(t, this.accountView((r) => r.mark), { symbol: run.symbol, side: signal.side, leverage, automated: true, margin: plan.margin, notional: plan.notional, distanceToLiquidationPct: plan.distanceToLiquidationPct }) : [];
      return gated.length ? { ...plan, verdict: { ok: false, violations: [...plan.verdict.violations, ...gated] } } : plan;
    };
    // Like the engine: a signal without leverage gets the lowest whole leverage that passes every check.
    const { leverage, plan } =
      signal.leverage !== undefined
        ? { leverage: exchangeLeverage(signal.leverage), plan: planAt(exchangeLeverage(signal.leverage)) }
        : chooseLeverage(leverageCandidates(planAt(1).notional, { cap: entryLeverageCap(settings, true), marketMax: run.market.maxLeverage, tiers: run.market.tiers }), planAt);
    if (!plan.verdict.ok || !(plan.quantity > 0)) {
      this.entriesRefused++;
      return;
    }
    const dir = signal.side === 'long' ? 1 : -1;
    const price = this.fillPrice(run, dir, open, plan.quantity);
    const fee = plan.quantity * price * run.market.takerFee;
    run.leverage = leverage;
    run.holding = applyTrade(FLAT, dir * plan.quantity, price, run.normalize).holding;
    run.isolatedWallet = settings.risk.marginMode === 'isolated' ? (plan.quantity * price) / leverage : 0;
    this.wallet -= fee;
    run.stop = plan.stop;
    run.takeProfit = plan.takeProfit;
    run.liquidation = this.liquidationOf(run);
    run.trade = {
      symbol: run.symbol,
      side: signal.side,
      qty: plan.quantity,
      leverage,
      entryTime: t,
      entryPrice: price,
      stop: plan.stop,
      takeProfit: plan.takeProfit,
      liquidationPrice: run.liquidation === run.liquidation ? run.liquidation : null,
      exitTime: 0,
      exitPrice: 0,
      exitReason: 'end-of-data',
      pnl: 0,
      fees: fee,
      funding: 0,
      riskAmount: plan.riskAmount,
      entryReason: signal.reason,
      exitNote: null,
    };
    this.open++;
    this.dirty = true;
  }

  /** A market order of `qty` against the taker at `last`, with the simulator's slippage, on the market's tick. */
  private fillPrice(run: SymbolRun, dir: number, last: number, qty: number): number {
    const raw = marketFillPrice({ side: dir > 0 ? 'BUY' : 'SELL', last, quantity: qty, volumePerMinute: run.volumePerMinute, model: this.slippage });
    return Math.max(roundToTick(raw, run.market.tickSize), run.market.tickSize);
  }

  /** Closes `qty` (the whole position by default) with a reduce-only market order at `last`; `slip` false fills at `last` exactly. */
  private closeAt(run: SymbolRun, last: number, t: number, reason: ExitReason, note: string | null, slip: boolean, qty = Math.abs(run.holding.amt)): void {
    const dir = run.holding.amt > 0 ? 1 : -1;
    const price = slip ? this.fillPrice(run, -dir, last, qty) : last;
    this.fill(run, qty, price, qty * price * run.market.takerFee, t, reason, note);
  }

  /** The exchange's liquidation: the position closes at its bankruptcy price (its margin balance at zero), no fee. */
  private liquidate(run: SymbolRun, t: number): void {
    const isolated = this.options.settings.risk.marginMode === 'isolated';
    const wallet = isolated ? run.isolatedWallet : this.crossWallet();
    const bankruptcy = Math.max(run.holding.entryPrice - wallet / run.holding.amt, 0);
    this.fill(run, Math.abs(run.holding.amt), bankruptcy, 0, t, 'liquidation', null);
  }

  private fill(run: SymbolRun, qty: number, price: number, fee: number, t: number, reason: ExitReason, note: string | null): void {
    const before = run.holding;
    const dir = before.amt > 0 ? 1 : -1;
    const outcome = applyTrade(before, -dir * qty, price, run.normalize);
    this.wallet += outcome.realizedPnl - fee;
    const trade = run.trade!;
    const whole = outcome.holding.amt === 0;
    const part: BacktestTrade = whole ? trade : { ...trade, qty, riskAmount: (trade.riskAmount * qty) / trade.qty, fees: (trade.fees * qty) / trade.qty, funding: (trade.funding * qty) / trade.qty };
    if (!whole) {
      trade.fees -= part.fees;
      trade.funding -= part.funding;
      trade.riskAmount -= part.riskAmount;
      trade.qty = run.normalize(trade.qty - qty);
      run.isolatedWallet -= run.isolatedWallet * (qty / Math.abs(before.amt));
    } else {
      run.isolatedWallet = 0;
      run.trade = null;
      this.open--;
    }
    part.exitTime = t;
    part.exitPrice = price;
    part.exitReason = reason;
    part.exitNote = note;
    part.pnl = outcome.realizedPnl;
    part.fees += fee;
    run.holding = outcome.holding;
    if (!whole) run.liquidation = this.liquidationOf(run);
    else run.liquidation = NaN;
    this.trades.push(part);
    this.breakers.recordTrade(part.pnl - part.fees + part.funding, t);
    this.dirty = true;
  }

  /** After every symbol's bar: the breakers look where something changed, then equity at the close. */
  private closeOfStep(t: number): number {
    const day = Math.floor(t / 86_400_000);
    let worse = false;
    let best = this.wallet;
    for (const run of this.runs) {
      if (run.holding.amt === 0) continue;
      best += run.holding.amt * (run.favourableMark - run.holding.entryPrice);
      if ((run.holding.amt > 0 ? run.evaluatedMark - run.adverseMark : run.adverseMark - run.evaluatedMark) > 0) worse = true;
    }
    if (this.dirty || worse || day !== this.evaluatedDay || best > this.evaluatedPeak) this.evaluateBreakers(t, best, day);
    let equity = this.wallet;
    for (const run of this.runs) if (run.holding.amt !== 0) equity += run.holding.amt * (run.mark - run.holding.entryPrice);
    return equity;
  }

  private evaluateBreakers(t: number, best: number, day: number): void {
    this.dirty = false;
    this.evaluatedDay = day;
    if (best > this.evaluatedPeak) this.evaluatedPeak = best;
    this.breakers.observeEquity(best, t);
    const orders = this.breakers.evaluate(t, this.accountView((r) => (r.hasBar ? r.adverseMark : r.mark)));
    for (const run of this.runs) run.evaluatedMark = run.adverseMark;
    for (const order of orders) {
      for (const symbol of order.symbols) {
        const run = this.runs.find((r) => r.symbol === symbol);
        if (!run || run.holding.amt === 0) continue;
        const qty = order.action === 'reduce' ? roundDownToStep(Math.abs(run.holding.amt) * order.fraction, run.market.amountStep) : Math.abs(run.holding.amt);
        if (!(qty > 0)) continue;
        this.closeAt(run, run.adverseLast, t, 'breaker', order.reason, true, Math.min(qty, Math.abs(run.holding.amt)));
      }
    }
    if (orders.length) this.dirty = false;
  }
}

function isoOrOpen(time: number): string {
  return Number.isFinite(time) ? new Date(time).toISOString() : 'the open end';
}
