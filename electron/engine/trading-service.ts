import os from 'node:os';
import path from 'node:path';
import { SNAPSHOT_FILLS, type SessionSnapshot } from '../../shared/contract';
import {
  TIMEFRAMES,
  fillKey,
  type BreakerView,
  type ConnectionState,
  type Fill,
  type FlattenReport,
  type MarketInfo,
  type Notification,
  type NotificationLevel,
  type Position,
  type Proposal,
  type SizingSuggestion,
  type StrategyStatus,
  type Timeframe,
} from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import { AccountBook } from './account/account-book';
import { TradeRecord } from './account/trade-record';
import type { EntryGates } from './entry-gates';
import type { EventBus } from './event-bus';
import type { ExchangeAdapter, ExchangeStreamEvent } from './exchange/adapter';
import { operationIdFactory, parseClientOrderId } from './exchange/client-order-id';
import { withRetry, type RetryOptions } from './exchange/retry';
import { approveProposal } from './execution/approval';
import { ExecutionLedger } from './execution/execution-ledger';
import type { ExecutionDeps } from './execution/order-desk';
import { changeIsolatedMargin } from './execution/isolated-margin';
import { closePosition, moveProtection, reducePosition, resumeProtection, tidyProtection } from './execution/position-actions';
import type { ExecutionLock } from './execution-lock';
import { accountFile, claimAccountFile } from './account/account-files';
import { recordOrCarryOn, type Journal } from './journal';
import { MarketData } from './market-data/market-data';
import { ProposalService, type ManualTicket } from './proposals/proposal-service';
import { entryLeverageCap } from './proposals/entry-planner';
import { FundingService } from './funding/funding-service';
import { Reconciler } from './reconcile';
import { StrategyRunner, WARM_HISTORY_MARGIN } from './strategy/strategy-runner';
import { FileStrategies } from './strategy-files/file-strategies';
import { StrategyRecords } from './strategy-records/strategy-records';
import { RECORD_REFRESH_MS, RecordBacktests, type RecordBacktestsOptions, type RecordedStrategy } from './strategy-records/record-backtests';
import { runBacktestInWorker } from './backtest-jobs/worker-backtest';
import type { ExitSignal, Signal, Strategy } from './strategy/strategy';
import type { StrategyEvaluatorFactory } from './strategy/strategy-evaluator';
import type { StrategySettings } from '../../shared/settings';
import { describeError } from '../../shared/error-message';
import { nodeDisk, type Disk } from './persistence/disk';

export interface TradingServiceOptions {
  adapter: ExchangeAdapter;
  lock: ExecutionLock;
  journal: Journal;
  bus: EventBus;
  gates: EntryGates;
  settings: () => Settings;
  now: () => number;
  notify: (level: NotificationLevel, title: string, message: string) => Notification;
  /** The account's drawdown from its persisted equity peak (the breakers'), in percent: what the strategies see. */
  drawdownPct: () => number;
  /** Folder for the execution ledger; null keeps it in memory. */
  dataDir: string | null;
  /** The disk as one concern (e.g. `the execution ledger`) writes it (default Node's fs). */
  disk?: (concern: string) => Disk;
  /** Periodic REST reconciliation; 0 turns it off. */
  reconcileIntervalMs?: number;
  retry?: Pick<RetryOptions, 'policy' | 'sleep'>;
  /** Replaces the built-in strategy catalogue with strategies run on the engine's thread (tests). */
  buildStrategy?: (settings: StrategySettings) => Strategy;
  /** Where strategies run (tests); each in its own worker thread by default. */
  strategyEvaluators?: StrategyEvaluatorFactory;
  strategyTimeoutMs?: number;
  /** The folder of the user's strategy files; without it only the built-ins run. */
  strategiesDir?: string;
  /** How often the strategies folder is looked at for changes (default 1 s). */
  strategyFilesPollMs?: number;
  /** Backtests each enabled strategy in the background for its proposals' record (default true; engine tests turn it off). */
  recordBacktests?: boolean;
  /** Where those backtests run (tests); each in its own worker thread by default. */
  runBacktest?: RecordBacktestsOptions['run'];
}

/** The chart's default timeframe is always streamed. */
const CHART_TIMEFRAME: Timeframe = '1m';
/** How far back a start loads the account's fills, for the chart's markers. */
const EARLIER_FILLS_MS = 24 * 60 * 60_000;

/**
 * The trading domain, composed: market data, the account view, the strategy
 * loop, proposals, protected execution and reconciliation, fed by the
 * adapter's streams and checked against REST.
 */
export class TradingService {
  readonly book: AccountBook;
  readonly market: MarketData;
  readonly proposals: ProposalService;
  readonly runner: StrategyRunner;
  readonly ledger: ExecutionLedger;
  /** The closed trades the Kelly sizing suggestion measures. */
  readonly trades: TradeRecord;
  /** Funding paid and received: today's, and each open position's. */
  readonly funding: FundingService;
  /** Each strategy's latest backtests and live record, shown on its proposals. */
  readonly records: StrategyRecords;
  /** The background backtests behind the records. */
  readonly recordRuns: RecordBacktests;
  /** The user's strategy files; null when the engine has no strategies folder. */
  readonly files: FileStrategies | null;
  private readonly reconciler: Reconciler;
  private readonly executing = new Set<string>();
  private readonly execDeps: ExecutionDeps;
  private markets: MarketInfo[] = [];
  private connection: ConnectionState;
  private breakers: BreakerView[] = [];
  private lastFlatten: FlattenReport | null = null;
  private recentFills: Fill[] = [];
  private stopStream: (() => void) | null = null;
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private unsubscribers: Array<() => void> = [];
  private pendingEmits = new Set<'positions' | 'orders' | 'account'>();
  private strategyErrors = new Map<string, string | null>();
  private readonly opened = new Set<string>();
  private readonly stopping = new AbortController();
  private emitScheduled = false;
  private subscribed = { symbols: '', timeframes: '', marks: '' };
  private resubscribeScheduled = false;
  private started = false;
  private stopped = false;

  constructor(private readonly options: TradingServiceOptions) {
    const { adapter, now } = options;
    const newId = operationIdFactory(now);
    this.connection = { state: 'connecting', mode: adapter.mode, exchange: adapter.id, detail: null, rateLimit: null, since: now() };
    this.book = new AccountBook(now);
    this.market = new MarketData({ adapter, onError: (message) => options.journal.report('market-data.error', { message }) });
    this.ledger = openLedger(options);
    this.trades = new TradeRecord(options.dataDir ? claimAccountFile(options.dataDir, 'trades', adapter) : null, { disk: options.disk?.('the closed trades') ?? nodeDisk });
    this.records = new StrategyRecords(
      (strategy) => this.trades.liveRecord(strategy),
      (strategy, symbol) => this.proposals.refreshRecords(strategy, symbol),
    );
    this.recordRuns = new RecordBacktests({
      records: this.records,
      strategies: () => this.recordedStrategies(),
      history: (symbol, timeframe, bars) => this.market.candles(symbol, timeframe, bars),
      settings: options.settings,
      run: options.runBacktest ?? ((job) => runBacktestInWorker(job, { signal: this.stopping.signal })),
      now,
      report: (type, data) => options.journal.report(type, data),
      balance: () => this.book.accountState().equity || 10_000,
    });
    this.funding = new FundingService({
      adapter,
      now,
      publish: (summary) => options.bus.emit('funding', summary),
      report: (type, data) => options.journal.report(type, data),
      file: options.dataDir ? accountFile(options.dataDir, 'funding', adapter) : null,
    });
    this.proposals = new ProposalService({
      adapter,
      book: this.book,
      market: this.market,
      gates: options.gates,
      journal: options.journal,
      settings: options.settings,
      now,
      newId,
      publish: (proposals) => options.bus.emit('proposals', proposals),
      recordOf: (strategy, symbol, timeframe) => this.records.recordOf(strategy, symbol, timeframe),
    });
    this.execDeps = {
      adapter,
      lock: options.lock,
      journal: options.journal,
      book: this.book,
      ledger: this.ledger,
      settings: options.settings,
      now,
      notify: (level, title, message) => void options.notify(level, title, message),
      newOperationId: newId,
      refresh: () => this.refreshAccount(),
      ...(options.retry ? { retry: options.retry } : {}),
    };
    this.reconciler = new Reconciler({ ...this.execDeps, executing: this.executing });
    this.runner = new StrategyRunner({
      context: () => ({ equity: this.book.accountState().equity, drawdownPct: options.drawdownPct(), maxLeverage: entryLeverageCap(options.settings(), true) }),
      onSignal: (id, signal, timeframe) => this.onSignal(id, signal, timeframe),
      onExit: (id, exit, timeframe) => this.onExit(id, exit, timeframe),
      onStatus: (statuses) => {
        this.journalStrategyErrors(statuses);
        options.bus.emit('strategies', statuses);
      },
      ...(options.buildStrategy ? { build: options.buildStrategy } : {}),
      ...(options.strategyEvaluators ? { evaluators: options.strategyEvaluators } : {}),
      ...(options.strategyTimeoutMs ? { evaluationTimeoutMs: options.strategyTimeoutMs } : {}),
    });
    this.files = options.strategiesDir ? this.fileStrategies(options.strategiesDir) : null;
    this.configureStrategies(options.settings());
    this.unsubscribers.push(
      this.book.onChange((change) => (change === 'marks' ? this.scheduleEmit('positions') : this.emitBook(change))),
      this.book.onChange((change) => {
        if (change === 'positions') this.scheduleResubscribe();
      }),
      this.market.onClosedCandle((symbol, timeframe, candle) => this.runner.onClosedCandle(symbol, timeframe, candle)),
      this.market.onCandle((symbol, timeframe, candle, closed) => options.bus.emit('candle', { symbol, timeframe, candle, closed })),
      this.market.onMark((ticker) => {
        this.book.applyMark(ticker.symbol, ticker.mark);
        options.bus.emit('ticker', ticker);
        this.funding.observeTicker(ticker);
      }),
      options.bus.subscribe((event, payload) => {
        if (event === 'breakers') this.breakers = payload as BreakerView[];
        else if (event === 'flatten') this.lastFlatten = payload as FlattenReport;
        else if (event === 'settings') this.onSettings(payload as Settings);
        else if (event === 'proposals') this.noteOpenings(payload as Proposal[]);
        else if (event === 'fill' && this.trades.onFill(payload as Fill)) this.publishSizing();
        else if (event === 'positions') this.onPositions(payload as Position[]);
      }),
    );
  }

  /** Loads markets, reconciles, finishes any protection a crash interrupted, then streams and runs the strategies. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { adapter, journal } = this.options;
    void this.files?.start().catch((error) => journal.report('strategy-files.error', { error: describeError(error) }));
    this.markets = await withRetry(() => adapter.loadMarkets(), { ...this.options.retry, policy: { attempts: 5, baseDelayMs: 200, maxDelayMs: 2_000 } });
    await this.reconcile('start');
    if (this.connection.state === 'connecting') this.onConnection('connected', 'REST answering; streams starting');
    if (this.stopped) return;
    void this.funding.refresh();
    this.subscribe();
    void this.loadEarlierFills().catch((error) => journal.report('fills.load.error', { error: describeError(error) }));
    await this.backfillAndWarm();
    const interval = this.options.reconcileIntervalMs ?? 30_000;
    if (interval > 0) this.every(interval, () => void this.reconcile('periodic').catch((e) => journal.report('reconcile.error', { error: describeError(e) })));
    this.every(1_000, () => this.proposals.expire());
    this.every(2_000, () => this.publishConnection());
    this.refreshRecords();
    this.every(RECORD_REFRESH_MS / 24, () => this.refreshRecords());
  }

  /** The enabled strategies (built-in and files) whose records are kept, on the watched symbols each may trade. */
  recordedStrategies(): RecordedStrategy[] {
    const settings = this.options.settings();
    const builtIns = settings.strategies
      .filter((s) => s.enabled)
      .map((s) => ({ id: s.id, timeframe: s.timeframe, spec: { kind: 'built-in' as const, settings: s }, symbols: settings.symbols, fingerprint: JSON.stringify(s) }));
    const files = (this.files?.runs() ?? []).flatMap((run) =>
      run.file && run.timeframe
        ? [
            {
              id: run.settings.id,
              timeframe: run.timeframe,
              spec: { kind: 'file' as const, file: run.file },
              symbols: run.settings.symbols?.length ? settings.symbols.filter((s) => run.settings.symbols!.includes(s)) : settings.symbols,
              fingerprint: run.fingerprint,
            },
          ]
        : [],
    );
    return [...builtIns, ...files];
  }

  private refreshRecords(): void {
    if (this.options.recordBacktests === false || this.stopped) return;
    void this.recordRuns.refresh();
  }

  /** The start failed (exchange unreachable): shown as disconnected until a retry succeeds. */
  markStartFailed(detail: string): void {
    this.started = false;
    this.onConnection('disconnected', detail);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.files?.stop();
    this.recordRuns.stop();
    this.stopping.abort();
    this.runner.stop();
    this.stopStream?.();
    this.stopStream = null;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const u of this.unsubscribers) u();
    this.unsubscribers = [];
  }

  private onPositions(positions: readonly Position[]): void {
    const open = positions.filter((p) => p.contracts > 0).map((p) => p.symbol);
    this.funding.observePositions(open);
    if (this.trades.onPositions(open)) this.publishSizing();
  }

  /** Positions and balance from REST: cheap, for right after an execution (orders come back with each request). */
  async refreshAccount(): Promise<void> {
    const retry = this.options.retry ?? {};
    const [positions, balance] = await Promise.all([withRetry(() => this.options.adapter.fetchPositions(), retry), withRetry(() => this.options.adapter.fetchBalance(), retry)]);
    this.book.applyBalance(balance);
    this.book.applyPositions(positions);
  }

  /**
   * Rebuilds the view from the exchange, finishes protecting any bot position
   * left without its stop, then cancels the cockpit's protective orders that
   * protect nothing (a crash mid-move or mid-close leaves some).
   */
  async reconcile(reason: string) {
    const report = await this.reconciler.reconcile(reason);
    await this.resumeInterruptedProtection();
    const symbols = new Set([...this.book.exchangePositions(), ...this.book.openOrders()].map((x) => x.symbol));
    for (const symbol of symbols) await this.tidy(symbol);
    return report;
  }

  private async tidy(symbol: string): Promise<void> {
    await tidyProtection(this.execDeps, symbol).catch((error) => {
      this.options.journal.report('protection.tidy.error', { symbol, error: describeError(error) });
    });
  }

  private async resumeInterruptedProtection(): Promise<void> {
    for (const record of this.ledger.all()) {
      if (this.executing.has(record.symbol)) continue;
      if (record.stage === 'protected' && this.book.protection(record.symbol).stop) continue;
      const outcome = await resumeProtection(this.execDeps, record.symbol).catch((error) => `error: ${describeError(error)}`);
      recordOrCarryOn(this.options.journal, 'protection.resumed', { symbol: record.symbol, stage: record.stage, outcome });
    }
  }

  approve(id: string) {
    return approveProposal({ ...this.execDeps, proposals: this.proposals, executing: this.executing }, id);
  }

  createManual(ticket: ManualTicket) {
    return this.proposals.manual(ticket);
  }

  close(symbol: string, reason: string) {
    return closePosition(this.execDeps, symbol, reason);
  }

  reduce(symbol: string, fraction: number, reason: string) {
    return reducePosition(this.execDeps, symbol, fraction, reason);
  }

  changeMargin(symbol: string, direction: 'add' | 'remove', amount: number) {
    return changeIsolatedMargin(this.execDeps, symbol, direction, amount);
  }

  move(symbol: string, purpose: 'stop' | 'take-profit', price: number) {
    return moveProtection(this.execDeps, symbol, purpose, price);
  }

  /** The symbols the exchange lists; empty until its markets have loaded. */
  listedSymbols(): string[] {
    return this.markets.map((m) => m.symbol);
  }

  strategies(): StrategyStatus[] {
    return this.runner.statuses();
  }

  /** Kelly sizing from the closed trades, under the risk per trade in force. */
  sizing(): SizingSuggestion {
    return this.trades.sizing(this.options.settings().risk.riskPerTrade);
  }

  connectionState(): ConnectionState {
    return { ...this.connection, rateLimit: this.options.adapter.rateLimit() };
  }

  /** The snapshot but for what the engine adds (the data disk's state). */
  snapshot(): Omit<SessionSnapshot, 'dataDisk'> {
    const settings = this.options.settings();
    return {
      mode: this.options.adapter.mode,
      exchange: this.options.adapter.id,
      liquidationFormula: this.options.adapter.capabilities.liquidationFormula,
      symbols: [...settings.symbols],
      timeframes: TIMEFRAMES,
      markets: this.markets,
      account: this.book.accountState(),
      positions: this.book.positionViews(),
      orders: this.book.openOrders(),
      proposals: this.proposals.list(),
      breakers: this.breakers,
      strategies: this.runner.statuses(),
      connection: this.connectionState(),
      tickers: this.market.allTickers(),
      settings,
      lastFlatten: this.lastFlatten,
      fills: [...this.recentFills],
      sizing: this.sizing(),
      funding: this.funding.summary(),
      strategyFiles: this.files?.views() ?? [],
    };
  }

  /** Every adapter stream event lands here. */
  handleStream(event: ExchangeStreamEvent): void {
    if (this.stopped) return;
    const { journal, notify } = this.options;
    switch (event.type) {
      case 'ticker':
        this.market.ingestTicker(event.ticker);
        break;
      case 'candle':
        this.market.ingestCandle(event.symbol, event.timeframe, event.candle, event.closed);
        break;
      case 'order':
        if (parseClientOrderId(event.order.clientOrderId)) recordOrCarryOn(journal, 'order.update', event.order);
        this.book.applyOrder(event.order);
        // A stop sent before a crash can land after the restart placed its own: one of them must go.
        if (event.order.conditional && event.order.status === 'open') void this.tidy(event.order.symbol);
        break;
      case 'fill':
        recordOrCarryOn(journal, 'fill', event.fill);
        this.book.applyFill(event.fill);
        this.recentFills.push(event.fill);
        if (this.recentFills.length > SNAPSHOT_FILLS) this.recentFills.splice(0, this.recentFills.length - SNAPSHOT_FILLS);
        this.options.bus.emit('fill', event.fill);
        break;
      case 'positions':
        {
          const before = this.book.exchangePositions().map((p) => p.symbol);
          this.book.applyPositions(event.positions);
          const gone = before.filter((symbol) => !this.book.exchangePosition(symbol));
          for (const symbol of gone) void this.tidy(symbol);
        }
        break;
      case 'balance':
        this.book.applyBalance(event.balance);
        break;
      case 'liquidation':
        recordOrCarryOn(journal, 'liquidation', event);
        notify('critical', `${event.symbol} was liquidated`, `The exchange liquidated ${event.contracts} ${event.symbol} at ${event.price}.`);
        void this.reconcile('liquidation').catch((e) => journal.report('reconcile.error', { error: describeError(e) }));
        break;
      case 'connection':
        this.onConnection(event.state, event.detail);
        break;
    }
  }

  private onSignal(strategyId: string, signal: Signal, timeframe: Timeframe): void {
    const settings = this.runner.settings(strategyId);
    if (!settings) return;
    const declaredRisk = this.runner.profile(strategyId)?.riskPerTrade;
    const proposal = this.proposals.fromSignal(strategyId, signal, timeframe, settings.auto, settings.maxConcurrentPositions, declaredRisk);
    if (proposal && proposal.auto && proposal.verdict.ok) this.autoApprove(proposal.id);
  }

  private onExit(strategyId: string, exit: ExitSignal, timeframe: Timeframe): void {
    const settings = this.runner.settings(strategyId);
    if (!settings) return;
    const proposal = this.proposals.fromExit(strategyId, exit, timeframe, settings.auto);
    if (proposal?.auto) this.autoApprove(proposal.id);
  }

  private autoApprove(id: string): void {
    void this.approve(id).catch((error) => this.options.journal.report('auto.refused', { id, error: describeError(error) }));
  }

  /** An executed entry opened its symbol's position: the trade, when it closes, counts in its strategy's live record. */
  private noteOpenings(proposals: readonly Proposal[]): void {
    for (const p of proposals) {
      if (p.status !== 'executed' || p.kind === 'close' || this.opened.has(p.id)) continue;
      this.opened.add(p.id);
      this.trades.opened(p.symbol, p.source, p.riskAmount);
    }
    const listed = new Set(proposals.map((p) => p.id));
    for (const id of this.opened) if (!listed.has(id)) this.opened.delete(id);
  }

  private onSettings(settings: Settings): void {
    this.configureStrategies(settings);
    this.files?.refresh();
    this.publishSizing();
    this.strategiesChanged();
  }

  private configureStrategies(settings: Settings): void {
    this.runner.configure(settings.strategies, this.files?.runs() ?? []);
  }

  /** Streams and warms what the strategies now in force need. */
  private strategiesChanged(): void {
    if (!this.started || this.stopped) return;
    this.subscribe();
    void this.backfillAndWarm();
    this.refreshRecords();
  }

  private fileStrategies(dir: string): FileStrategies {
    const { dataDir, journal, now, bus, settings } = this.options;
    return new FileStrategies({
      dir,
      buildDir: path.join(dataDir ?? os.tmpdir(), 'strategy-build'),
      now,
      ...(this.options.strategyFilesPollMs ? { pollMs: this.options.strategyFilesPollMs } : {}),
      configs: () => settings().strategyFiles,
      onViews: (views) => bus.emit('strategyFiles', views),
      onRuns: () => {
        if (this.stopped) return;
        this.configureStrategies(settings());
        this.strategiesChanged();
      },
      onError: (error) => journal.report('strategy-files.error', { error: describeError(error) }),
    });
  }

  private onConnection(state: 'connected' | 'reconnecting' | 'disconnected', detail: string | null): void {
    const was = this.connection.state;
    this.connection = { ...this.connection, state, detail, since: this.options.now() };
    this.publishConnection();
    if (state === 'connected' && (was === 'reconnecting' || was === 'disconnected')) {
      recordOrCarryOn(this.options.journal, 'connection.restored', { detail });
      void this.market.repairAll();
      void this.reconcile('reconnect').catch((e) => this.options.journal.report('reconcile.error', { error: describeError(e) }));
    } else if (state !== 'connected' && was === 'connected') {
      recordOrCarryOn(this.options.journal, 'connection.lost', { state, detail });
    }
  }

  /**
   * Streams candles for the watched symbols, and mark prices for those and for every symbol
   * with a position (one opened by hand on a symbol not watched too), so that the breakers
   * see each position's mark as it moves. Re-subscribes only when one of those sets changes.
   */
  private subscribe(): void {
    const known = (symbol: string) => this.markets.some((m) => m.symbol === symbol);
    const symbols = this.options.settings().symbols.filter(known);
    const timeframes = [...new Set([CHART_TIMEFRAME, ...this.runner.timeframes()])];
    const marks = [...new Set([...symbols, ...this.book.exchangePositions().map((p) => p.symbol).filter(known).sort()])];
    const key = { symbols: symbols.join(','), timeframes: timeframes.join(','), marks: marks.join(',') };
    if (this.stopStream && key.symbols === this.subscribed.symbols && key.timeframes === this.subscribed.timeframes && key.marks === this.subscribed.marks) return;
    this.stopStream?.();
    this.subscribed = key;
    this.stopStream = this.options.adapter.subscribe({ symbols, timeframes, marks }, (event) => this.handleStream(event));
  }

  /** After the event that changed the positions has been handled, outside the stream's own callback. */
  private scheduleResubscribe(): void {
    if (!this.stopStream || this.resubscribeScheduled) return;
    this.resubscribeScheduled = true;
    queueMicrotask(() => {
      this.resubscribeScheduled = false;
      if (this.started && !this.stopped && this.stopStream) this.subscribe();
    });
  }

  /**
   * The account's fills of the last day on the watched symbols and those with a position, from the
   * exchange: the chart's fill markers survive a restart. They are shown, never counted again (the
   * trade record and the breakers saw them when they happened).
   */
  private async loadEarlierFills(): Promise<void> {
    const known = (symbol: string) => this.markets.some((m) => m.symbol === symbol);
    const symbols = [...new Set([...this.options.settings().symbols, ...this.book.exchangePositions().map((p) => p.symbol)])].filter(known);
    const since = this.options.now() - EARLIER_FILLS_MS;
    const loaded = await Promise.all(
      symbols.map((symbol) =>
        withRetry(() => this.options.adapter.fetchFills(symbol, since), this.options.retry ?? {}).catch((error) => {
          this.options.journal.report('fills.load.error', { symbol, error: describeError(error) });
          return [];
        }),
      ),
    );
    if (this.stopped) return;
    const held = new Set(this.recentFills.map(fillKey));
    const earlier = loaded
      .flat()
      .filter((f) => !held.has(fillKey(f)))
      .sort((a, b) => a.time - b.time);
    if (earlier.length === 0) return;
    this.recentFills = [...earlier, ...this.recentFills].sort((a, b) => a.time - b.time).slice(-SNAPSHOT_FILLS);
    this.options.bus.emit('fills', earlier.slice(-SNAPSHOT_FILLS));
  }

  private async backfillAndWarm(): Promise<void> {
    const needs = this.runner.warmupNeeds();
    const symbols = this.options.settings().symbols.filter((s) => this.markets.some((m) => m.symbol === s));
    const timeframes = [...new Set([CHART_TIMEFRAME, ...this.runner.timeframes()])];
    await Promise.all(
      symbols.flatMap((symbol) =>
        timeframes.map(async (timeframe) => {
          const need = (needs.get(timeframe) ?? 0) + WARM_HISTORY_MARGIN;
          try {
            // One more than the closed bars needed: the newest bar is still forming.
            await this.market.backfill(symbol, timeframe, need + 1);
            this.runner.warm(symbol, timeframe, this.market.closedCandles(symbol, timeframe, need));
          } catch (error) {
            this.options.journal.report('market-data.error', { symbol, timeframe, error: describeError(error) });
          }
        }),
      ),
    );
  }

  private publishSizing(): void {
    this.options.bus.emit('sizing', this.sizing());
  }

  private publishConnection(): void {
    this.options.bus.emit('connection', this.connectionState());
  }

  /** A strategy error (a throw, a bad signal, a stuck evaluation and its restart) is journalled once, when it first shows. */
  private journalStrategyErrors(statuses: readonly StrategyStatus[]): void {
    for (const status of statuses) {
      const previous = this.strategyErrors.get(status.id) ?? null;
      if (status.lastError !== null && status.lastError !== previous) recordOrCarryOn(this.options.journal, 'strategy.error', { id: status.id, error: status.lastError });
      this.strategyErrors.set(status.id, status.lastError);
    }
  }

  private scheduleEmit(change: 'positions' | 'orders' | 'account'): void {
    this.pendingEmits.add(change);
    if (this.emitScheduled) return;
    this.emitScheduled = true;
    setImmediate(() => {
      this.emitScheduled = false;
      const changes = [...this.pendingEmits];
      this.pendingEmits.clear();
      for (const c of changes) this.emitBook(c);
    });
  }

  private emitBook(change: 'positions' | 'orders' | 'account'): void {
    if (change === 'positions') this.options.bus.emit('positions', this.book.positionViews());
    else if (change === 'orders') this.options.bus.emit('orders', this.book.openOrders());
    else this.options.bus.emit('account', this.book.accountState());
  }

  private every(ms: number, task: () => void): void {
    const timer = setInterval(task, ms);
    timer.unref?.();
    this.timers.push(timer);
  }
}

/** The execution ledger; a failed save is journalled (it is retried at the next change), an unreadable file at start too. */
function openLedger(options: TradingServiceOptions): ExecutionLedger {
  const { dataDir, adapter, journal } = options;
  const ledger = new ExecutionLedger(dataDir ? claimAccountFile(dataDir, 'executions', adapter) : null, {
    disk: options.disk?.('the execution ledger') ?? nodeDisk,
    now: options.now,
    onSaveFailed: (error) => journal.report('execution-ledger.save.failed', { error: describeError(error) }),
  });
  if (ledger.problem) {
    journal.report('execution-ledger.unreadable', ledger.problem);
    options.notify(
      'warning',
      'Execution ledger unreadable',
      `It was ${ledger.problem.movedTo ? `moved to ${ledger.problem.movedTo}` : 'left in place'} (${ledger.problem.problem}). The engine rebuilds its view of the bot's positions from the exchange; check each has its stop.`,
    );
  }
  return ledger;
}
