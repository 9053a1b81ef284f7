import type { AccountState, BreakerView, CheckViolation, Fill, MarketInfo, Notification, NotificationLevel, Position, Ticker } from '../../../shared/domain';
import type { MarginTier } from '../../../shared/risk/liquidation';
import type { Settings } from '../../../shared/settings';
import { CommandError } from '../errors';
import type { EventBus } from '../event-bus';
import type { Journal } from '../journal';
import type { Breaker, BreakerId, BreakerSnapshot, BreakerVerdict, EntryIntent } from './breaker';
import type { BreakerRecord, BreakerState, BreakerStateFile, LoadResult } from './breaker-state-file';
import { measureExposure, type Exposure } from '../../../shared/risk/account-exposure';
import { reduceFraction } from './reduce-size';
import { applyTransfers, transferApplied, TRANSFER_CLOCK_SKEW_MS, EMPTY_LEDGER, observeEquity, rebase, recordTradeResult, type BreakerLedger, type Transfer } from './ledger';
import { BREAKERS } from './registry';
import { drawdownFromPeakPct } from './drawdown';
import { TradeOutcomes } from './trade-outcomes';
import { VolatilitySampler } from './volatility-sampler';
import { errorMessage } from '../../../shared/error-message';
import { recordOrCarryOn } from '../journal';

/** What the manager does when a verdict calls for more than blocking entries. */
export interface BreakerActions {
  /** The emergency flatten; it also halts the strategy loop and auto mode. Answers whether the account ended flat. */
  flatten(reason: string): Promise<{ flat: boolean }>;
  /** Cuts a position by `fraction` with a reduce-only market order. */
  reduce(symbol: string, fraction: number, reason: string): Promise<unknown>;
  /** Cancels a position's orders and closes it with a reduce-only market order. */
  close(symbol: string, reason: string): Promise<unknown>;
  /** Stops the strategies, with this reason, until released or resumed by the user. */
  haltStrategies(reason: string): void;
  /** Lets the strategies run again, but only if they are still stopped for this reason (not by a flatten since). */
  releaseStrategies(reason: string): void;
}

/** Why the strategies are stopped while a breaker that stops them is tripped: the same text when it trips and after a restart, so its re-arm can release them. */
export const strategyHaltReason = (label: string): string => `${label} tripped: strategies stopped until it re-arms or you resume them`;

/** Where the manager reports: the engine's event bus in practice. */
export interface BreakerOutput {
  breakers(views: BreakerView[]): void;
  notification(notification: Notification): void;
}

export interface BreakerManagerOptions {
  journal: Pick<Journal, 'record'>;
  stateFile: BreakerStateFile;
  settings: () => Settings;
  now: () => number;
  actions: BreakerActions;
  output: BreakerOutput;
  /** Maintenance-margin tiers of a symbol, when its market is loaded. */
  tiers?: (symbol: string) => readonly MarginTier[] | null;
  /** A symbol's amount step and minimum order size, when its market is loaded: a reduce is sized to what the market accepts. */
  market?: (symbol: string) => Pick<MarketInfo, 'amountStep' | 'minAmount'> | null;
  breakers?: readonly Breaker[];
  volatility?: VolatilitySampler;
  /**
   * The account's deposits and withdrawals from `since` on (the exchange's income history). Before a
   * breaker that measures equity against a baseline trips, they are read and applied to the
   * baselines, so a transfer never trips one; when they cannot be read, the breaker trips.
   */
  transfers?: (since: number) => Promise<readonly Transfer[]>;
}

/** The breakers that measure equity against a baseline a transfer moves. */
const MEASURE_EQUITY: ReadonlySet<BreakerId> = new Set<BreakerId>(['daily-loss', 'weekly-loss', 'drawdown']);

/** Least time between two reductions of the same position by the margin-ratio breaker. */
export const REDUCE_INTERVAL_MS = 60_000;
/** Least time between two attempts to close the same position for the same breaker. */
export const CLOSE_RETRY_MS = 5_000;
/** A new equity peak alone is written to disk at most this often; every other ledger change at once. */
const PEAK_PERSIST_MS = 5_000;
/** After a failed save, the next attempt waits at least this long (every evaluation tries once it has passed). */
export const SAVE_RETRY_MS = 5_000;
/** Value-only updates of the breakers panel are sent at most this often; state changes go at once. */
const VIEW_THROTTLE_MS = 1_000;

const ledgerWithoutPeak = (ledger: BreakerLedger): string => JSON.stringify({ ...ledger, peakEquity: null, peakAt: null });

const ARMED: BreakerRecord = { state: 'armed', action: 'none', trippedAt: null, until: null, reason: null, value: null };

/**
 * Applies breaker verdicts. It evaluates every breaker on each mark price,
 * position, account and trade-close update and on every entry check; it
 * journals each change of state before acting on it, persists latch states so
 * a restart keeps a trip, and re-arms a breaker that holds until reset only on
 * an explicit user reset confirmed by typing the breaker's id.
 *
 * A trip acts whatever the disk does: when its journal entry or its state
 * cannot be written (a full or failing disk), the flatten, the notification and
 * the halt still happen; the failed save is reported on its own and retried
 * until it succeeds.
 */
export class BreakerManager {
  private readonly breakers: readonly Breaker[];
  private readonly records = new Map<BreakerId, BreakerRecord>();
  private readonly verdicts = new Map<BreakerId, BreakerVerdict>();
  private readonly shown = new Map<BreakerId, BreakerView['state']>();
  private readonly shownSince = new Map<BreakerId, number>();
  private readonly lastActionAt = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private readonly trades = new TradeOutcomes();
  private readonly volatility: VolatilitySampler;
  private readonly marks = new Map<string, number>();
  private ledger: BreakerLedger;
  private persisted: { ledger: string; withoutPeak: string; at: number };
  private positions: Position[] = [];
  private account: AccountState | null = null;
  private lastEmit = { at: -Infinity, signature: '' };
  private evaluating = false;
  private evaluateAgain = false;
  /** Flatten-action trips restored from disk, waiting for the first position list to see whether anything is still open. */
  private restoredFlattens: Breaker[] = [];
  /** The wallet balance the transfers were last read at: a changed wallet may hold a transfer not yet applied. */
  private transfersReadAtWallet: number | null = null;
  private readingTransfers = false;
  private readonly startedAt: number;
  /** Set while the state on disk is behind the state in memory: when the last save failed, and why. */
  private unsaved: { at: number; error: string } | null = null;

  constructor(private readonly options: BreakerManagerOptions) {
    this.breakers = options.breakers ?? BREAKERS;
    this.volatility = options.volatility ?? new VolatilitySampler();
    const loaded = options.stateFile.load();
    const state: BreakerState = loaded.ok ? loaded.state : { records: {}, ledger: EMPTY_LEDGER };
    this.ledger = state.ledger;
    this.persisted = { ledger: JSON.stringify(this.ledger), withoutPeak: ledgerWithoutPeak(this.ledger), at: -Infinity };
    for (const breaker of this.breakers) {
      const record = state.records[breaker.id];
      if (breaker.kind === 'latch') this.records.set(breaker.id, record ?? ARMED);
    }
    if (!loaded.ok) this.tripAllUnreadable(loaded);
    this.restoredFlattens = this.breakers.filter((b) => this.isTrippedToFlatten(b));
    this.startedAt = options.now();
  }

  /**
   * Feeds the manager from the engine's events: mark prices, positions, account,
   * fills and settings. Timed trips re-arm at the first evaluation after their
   * time, and marks arrive every second or so. Returns the detach function.
   */
  attach(bus: Pick<EventBus, 'subscribe'>): () => void {
    return bus.subscribe((event, payload) => {
      if (event === 'ticker') this.observeMark(payload as Ticker);
      else if (event === 'positions') this.observePositions(payload as Position[]);
      else if (event === 'account') this.observeAccount(payload as AccountState);
      else if (event === 'fill') this.observeFill(payload as Fill);
      else if (event === 'settings') this.evaluate();
    });
  }

  observeMark(ticker: Ticker): void {
    if (!(ticker.mark > 0)) return;
    this.marks.set(ticker.symbol, ticker.mark);
    this.volatility.add(ticker.symbol, ticker.mark, ticker.time);
    this.evaluate();
  }

  observePositions(positions: readonly Position[]): void {
    this.positions = positions.filter((p) => p.contracts > 0);
    for (const trade of this.trades.onPositions(this.positions.map((p) => p.symbol))) this.recordTrade(trade.netPnl, trade.closedAt);
    this.flattenWhatARestoredTripLeftOpen();
    this.evaluate();
  }

  observeAccount(account: AccountState): void {
    this.account = account;
    this.evaluate();
  }

  observeFill(fill: Fill): void {
    const trade = this.trades.onFill(fill);
    if (trade) this.recordTrade(trade.netPnl, trade.closedAt);
    this.evaluate();
  }

  /** Runs every breaker against the account as it is now and applies the verdicts. */
  evaluate(): void {
    if (this.evaluating) {
      this.evaluateAgain = true;
      return;
    }
    this.evaluating = true;
    try {
      do {
        this.evaluateAgain = false;
        this.evaluateOnce();
      } while (this.evaluateAgain);
    } finally {
      this.evaluating = false;
    }
  }

  /**
   * The breakers' objections to an entry, as pre-trade violations (rule `breaker`).
   * Any tripped breaker blocks it, and so does any breaker the entry would trip.
   */
  entryViolations(entry: EntryIntent): CheckViolation[] {
    this.evaluate();
    const settings = this.options.settings();
    const snapshot = this.snapshot(this.exposure(), entry);
    const violations: CheckViolation[] = [];
    for (const breaker of this.breakers) {
      const record = this.records.get(breaker.id);
      const current = this.verdicts.get(breaker.id);
      const trippedReason = record?.state === 'tripped' ? record.reason : breaker.kind === 'gate' && current && current.action !== 'none' ? current.reason : undefined;
      if (trippedReason !== undefined) {
        violations.push({ rule: 'breaker', message: `${breaker.label} tripped: ${trippedReason ?? 'see the breakers panel'}` });
        continue;
      }
      const verdict = breaker.evaluate(snapshot, settings);
      if (verdict.action !== 'none') violations.push({ rule: 'breaker', message: `${breaker.label}: ${verdict.reason}` });
    }
    return violations;
  }

  /**
   * Percent of equity below the account's persisted peak: the drawdown the
   * drawdown breaker measures, so it survives a restart. 0 until equity is known.
   */
  drawdownPct(): number {
    const equity = this.exposure().equity;
    const peak = equity === null ? this.ledger.peakEquity : Math.max(this.ledger.peakEquity ?? equity, equity);
    return drawdownFromPeakPct(equity, peak) ?? 0;
  }

  views(): BreakerView[] {
    const settings = this.options.settings();
    return this.breakers.map((breaker) => {
      const record = this.records.get(breaker.id);
      const verdict = this.verdicts.get(breaker.id);
      const tripped = record?.state === 'tripped';
      const state = this.viewState(breaker, record, verdict);
      return {
        id: breaker.id,
        label: breaker.label,
        state,
        action: breaker.action,
        value: verdict?.value ?? (tripped ? record.value : null),
        threshold: verdict?.threshold ?? breaker.threshold(settings),
        unit: breaker.unit,
        reason: tripped ? record.reason : state !== 'armed' ? (verdict?.reason ?? null) : null,
        trippedAt: tripped ? record.trippedAt : state === 'tripped' ? (this.shownSince.get(breaker.id) ?? null) : null,
        trippedUntil: tripped ? record.until : null,
        needsReset: tripped && record.until === null,
        ...(breaker.enabled?.(settings) === false ? { off: true } : {}),
      };
    });
  }

  /**
   * Re-arms a tripped breaker. Only the user calls this, and `confirmation`
   * must be the breaker's id, typed. The reset is journalled before it applies.
   */
  reset(id: string, confirmation: string): BreakerView {
    const breaker = this.breakers.find((b) => b.id === id);
    if (!breaker) throw new CommandError('not-found', `There is no breaker "${id}"`);
    if (confirmation.trim() !== breaker.id) {
      throw new CommandError('refused', `To reset ${breaker.label}, type its id "${breaker.id}" to confirm`);
    }
    const record = this.records.get(breaker.id);
    if (breaker.kind === 'gate') {
      throw new CommandError('refused', `${breaker.label} holds no trip: it re-arms by itself once the account is back under its threshold`);
    }
    if (record?.state !== 'tripped') throw new CommandError('refused', `${breaker.label} is not tripped`);
    const now = this.options.now();
    this.options.journal.record('breaker.reset', { id: breaker.id, by: 'user', previous: record });
    this.records.set(breaker.id, ARMED);
    this.releaseIfItHalted(breaker.id);
    if (breaker.rebaseOnReset) this.ledger = rebase(this.ledger, breaker.rebaseOnReset, this.exposure().equity, now);
    for (const key of [...this.lastActionAt.keys()]) if (key.startsWith(`${breaker.id}:`)) this.lastActionAt.delete(key);
    this.persist();
    this.evaluate();
    this.emit(true);
    return this.views().find((v) => v.id === breaker.id)!;
  }

  private evaluateOnce(): void {
    const now = this.options.now();
    const settings = this.options.settings();
    this.rearmExpired(now);
    const exposure = this.exposure();
    if (exposure.equity !== null) this.ledger = observeEquity(this.ledger, exposure.equity, now);
    if (this.transfersUnread()) this.readTransfers();
    const snapshot = this.snapshot(exposure, null);
    for (const breaker of this.breakers) {
      const verdict = breaker.evaluate(snapshot, settings);
      this.verdicts.set(breaker.id, verdict);
      if (breaker.kind === 'latch' && verdict.action !== 'none') {
        if (MEASURE_EQUITY.has(breaker.id) && this.transfersUnread()) this.readTransfers();
        else this.trip(breaker, verdict, now);
      }
      if ((verdict.action === 'reduce' || verdict.action === 'close') && verdict.symbols) this.act(breaker, verdict, now);
      this.noteShownState(breaker, now);
    }
    this.persistLedgerIfChanged();
    this.emit(false);
  }

  /** Whether the wallet moved since the transfers were last read (a trip waits for them). */
  private transfersUnread(): boolean {
    if (!this.options.transfers || this.account === null) return false;
    return this.readingTransfers || this.transfersReadAtWallet !== this.account.walletBalance;
  }

  /** Reads the deposits and withdrawals since the last one applied, moves the baselines, and evaluates again. */
  private readTransfers(): void {
    if (this.readingTransfers || !this.options.transfers || this.account === null) return;
    this.readingTransfers = true;
    const wallet = this.account.walletBalance;
    const ledger = this.ledger;
    const measuredSince = [ledger.day?.seenAt, ledger.week?.seenAt, ledger.peakAt].filter((t): t is number => typeof t === 'number');
    const since = ledger.transfersUntil ?? Math.min(this.startedAt, ...measuredSince) - TRANSFER_CLOCK_SKEW_MS;
    this.options
      .transfers(since)
      .then((transfers) => {
        const fresh = transfers.filter((t) => !transferApplied(this.ledger, t));
        for (const t of fresh) recordOrCarryOn(this.options.journal, 'account.transfer', { id: t.id, time: t.time, amount: t.amount });
        if (fresh.length > 0) {
          this.ledger = applyTransfers(this.ledger, fresh);
          this.persist();
        }
      })
      .catch((error: unknown) => recordOrCarryOn(this.options.journal, 'breaker.transfers.error', { error: errorMessage(error) }))
      .finally(() => {
        this.readingTransfers = false;
        this.transfersReadAtWallet = wallet;
        this.evaluate();
      })
      .catch(() => undefined);
  }

  private exposure(): Exposure {
    return measureExposure({ positions: this.positions, account: this.account, marks: this.marks, tiers: this.options.tiers ?? (() => null) });
  }

  private snapshot(exposure: Exposure, entry: EntryIntent | null): BreakerSnapshot {
    return {
      now: this.options.now(),
      equity: exposure.equity,
      dayStartEquity: this.ledger.day?.equity ?? null,
      weekStartEquity: this.ledger.week?.equity ?? null,
      peakEquity: this.ledger.peakEquity,
      lossStreak: this.ledger.lossStreak,
      accountMarginRatioPct: exposure.accountMarginRatioPct,
      positions: exposure.positions,
      volatilityPct: this.volatility.measurePct(),
      entry,
    };
  }

  private trip(breaker: Breaker, verdict: BreakerVerdict, now: number): void {
    if (this.records.get(breaker.id)?.state === 'tripped') return;
    const record: BreakerRecord = {
      state: 'tripped',
      action: verdict.action,
      trippedAt: now,
      until: verdict.until ?? null,
      reason: verdict.reason,
      value: verdict.value,
    };
    recordOrCarryOn(this.options.journal, 'breaker.trip', { id: breaker.id, ...record, threshold: verdict.threshold });
    this.records.set(breaker.id, record);
    this.persist();
    this.notify(verdict.action === 'block-entries' ? 'warning' : 'critical', `${breaker.label} tripped`, verdict.reason ?? '', breaker.id, now);
    if (verdict.action === 'flatten') this.flattenFor(breaker, `${breaker.label}: ${verdict.reason}`);
    else if (breaker.haltsStrategies?.(this.options.settings())) this.strategies('halt', breaker);
  }

  /** Tripped breakers that stop the strategies: a restart stops them again while these hold. */
  strategyHalts(): BreakerView[] {
    const settings = this.options.settings();
    return this.views().filter((view) => {
      const breaker = this.breakers.find((b) => b.id === view.id)!;
      return view.state === 'tripped' && breaker.kind === 'latch' && (breaker.action === 'flatten' || breaker.haltsStrategies?.(settings) === true);
    });
  }

  /** Stops or releases the strategies for a breaker, journalled first; a failure is journalled and never stops the evaluation. */
  private strategies(what: 'halt' | 'release', breaker: Breaker): void {
    const reason = strategyHaltReason(breaker.label);
    recordOrCarryOn(this.options.journal, `breaker.strategies.${what}`, { id: breaker.id, reason });
    try {
      if (what === 'halt') this.options.actions.haltStrategies(reason);
      else this.options.actions.releaseStrategies(reason);
    } catch (error) {
      recordOrCarryOn(this.options.journal, 'breaker.action.failed', { id: breaker.id, action: `strategies.${what}`, error: errorMessage(error) });
    }
  }

  private act(breaker: Breaker, verdict: BreakerVerdict, now: number): void {
    const interval = verdict.action === 'reduce' ? REDUCE_INTERVAL_MS : CLOSE_RETRY_MS;
    for (const symbol of verdict.symbols ?? []) {
      const key = `${breaker.id}:${symbol}`;
      const last = this.lastActionAt.get(key);
      if (this.inFlight.has(key) || (last !== undefined && now - last < interval)) continue;
      const fraction = verdict.action === 'reduce' ? this.reduceFraction(symbol, verdict.fraction ?? 1) : 1;
      recordOrCarryOn(this.options.journal, 'breaker.action', { id: breaker.id, action: verdict.action, symbol, fraction, reason: verdict.reason });
      this.lastActionAt.set(key, now);
      this.inFlight.add(key);
      const reason = `${breaker.label}: ${verdict.reason}`;
      this.run(breaker, verdict.action, symbol, () =>
        verdict.action === 'reduce' ? this.options.actions.reduce(symbol, fraction, reason) : this.options.actions.close(symbol, reason),
      ).finally(() => this.inFlight.delete(key));
    }
  }

  /** The configured cut, raised to what the market accepts when it would round below the minimum order size. */
  private reduceFraction(symbol: string, configured: number): number {
    const contracts = this.positions.filter((p) => p.symbol === symbol).reduce((sum, p) => sum + p.contracts, 0);
    let market: Pick<MarketInfo, 'amountStep' | 'minAmount'> | null = null;
    try {
      market = this.options.market?.(symbol) ?? null;
    } catch {
      market = null;
    }
    return market ? reduceFraction(contracts, configured, market) : configured;
  }

  /** Starts an action outside the evaluation. A failure is journalled and notified; the returned promise never rejects. */
  private run(breaker: Breaker, action: string, symbol: string | null, work: () => Promise<unknown>): Promise<void> {
    return Promise.resolve()
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => {
          const message = errorMessage(error);
          this.notify('critical', `${breaker.label}: ${action} failed${symbol ? ` on ${symbol}` : ''}`, message, breaker.id, this.options.now());
          recordOrCarryOn(this.options.journal, 'breaker.action.failed', { id: breaker.id, action, symbol, error: message });
        },
      )
      .catch(() => undefined);
  }

  private isTrippedToFlatten(breaker: Breaker): boolean {
    const record = this.records.get(breaker.id);
    return record?.state === 'tripped' && record.action === 'flatten';
  }

  /**
   * A trip that flattens holds until reset, and its flatten ran when it tripped. Positions still
   * open at the first position list after a restart are what an interrupted flatten left
   * (the process stopped mid-flatten, before it reported flat): the flatten runs again, once, journalled first.
   */
  private flattenWhatARestoredTripLeftOpen(): void {
    const restored = this.restoredFlattens.filter((b) => this.isTrippedToFlatten(b));
    this.restoredFlattens = [];
    const [breaker] = restored;
    if (!breaker || !this.positions.length) return;
    const record = this.records.get(breaker.id)!;
    if (record.flatAt !== undefined) return;
    recordOrCarryOn(this.options.journal, 'breaker.flatten.resumed', {
      ids: restored.map((b) => b.id),
      trippedAt: record.trippedAt,
      symbols: [...new Set(this.positions.map((p) => p.symbol))],
    });
    this.flattenFor(breaker, `${breaker.label} still tripped after a restart, with positions open: ${record.reason}`);
  }

  /** Runs a trip's flatten; once it reports the account flat, the trip remembers it, so a restart does not flatten what was opened since. */
  private flattenFor(breaker: Breaker, reason: string): void {
    void this.run(breaker, 'flatten', null, async () => {
      const report = await this.options.actions.flatten(reason);
      const record = this.records.get(breaker.id);
      if (!report.flat || record?.state !== 'tripped') return;
      recordOrCarryOn(this.options.journal, 'breaker.flatten.flat', { id: breaker.id, trippedAt: record.trippedAt });
      this.records.set(breaker.id, { ...record, flatAt: this.options.now() });
      this.persist();
    });
  }

  private rearmExpired(now: number): void {
    for (const [id, record] of this.records) {
      if (record.state !== 'tripped' || record.until === null || record.until > now) continue;
      const rebaseOnRearm = this.breakers.find((b) => b.id === id)?.rebaseOnRearm;
      recordOrCarryOn(this.options.journal, 'breaker.rearm', { id, trippedAt: record.trippedAt, until: record.until, ...(rebaseOnRearm ? { rebase: rebaseOnRearm } : {}) });
      this.records.set(id, ARMED);
      if (rebaseOnRearm) this.ledger = rebase(this.ledger, rebaseOnRearm, this.exposure().equity, now);
      this.persist();
      this.releaseIfItHalted(id);
    }
  }

  /** A loss limit that stopped the strategies lets them go when its period ends or the user resets it (a flatten's stop waits for the user's resume). */
  private releaseIfItHalted(id: BreakerId): void {
    const breaker = this.breakers.find((b) => b.id === id);
    if (breaker && breaker.action !== 'flatten' && breaker.haltsStrategies?.(this.options.settings())) this.strategies('release', breaker);
  }

  private recordTrade(netPnl: number, time: number): void {
    this.ledger = recordTradeResult(this.ledger, netPnl, time);
  }

  private viewState(breaker: Breaker, record: BreakerRecord | undefined, verdict: BreakerVerdict | undefined): BreakerView['state'] {
    if (record?.state === 'tripped') return 'tripped';
    if (breaker.kind === 'gate' && verdict && verdict.action !== 'none') return 'tripped';
    return verdict?.warning ? 'warning' : 'armed';
  }

  /** Journals a change of what the panel shows that no trip or re-arm already journalled: warnings and gate states. */
  private noteShownState(breaker: Breaker, now: number): void {
    const record = this.records.get(breaker.id);
    const verdict = this.verdicts.get(breaker.id);
    const state = this.viewState(breaker, record, verdict);
    const previous = this.shown.get(breaker.id) ?? 'armed';
    if (state === previous) return;
    this.shown.set(breaker.id, state);
    this.shownSince.set(breaker.id, now);
    if (record?.state === 'tripped' || (previous === 'tripped' && breaker.kind === 'latch')) return;
    recordOrCarryOn(this.options.journal, 'breaker.state', { id: breaker.id, state, value: verdict?.value ?? null, threshold: verdict?.threshold ?? null, reason: verdict?.reason ?? null });
    if (state === 'warning') this.notify('warning', `${breaker.label} warning`, this.warningText(breaker, verdict), breaker.id, now);
  }

  private warningText(breaker: Breaker, verdict: BreakerVerdict | undefined): string {
    const unit = breaker.unit === '%' ? '%' : breaker.unit === 'x' ? 'x' : ` ${breaker.unit}`;
    const value = verdict?.value ?? null;
    return value === null ? `${breaker.label} is near its limit` : `${breaker.label} at ${+value.toFixed(2)}${unit} (limit ${verdict!.threshold}${unit})`;
  }

  private tripAllUnreadable({ problem, file, movedAside }: Extract<LoadResult, { ok: false }>): void {
    const now = this.options.now();
    const where = movedAside ? `The file was moved to ${file}` : `It stays at ${file} for the other accounts`;
    const reason = `Breaker state could not be read (${problem}); kept tripped until you reset it. ${where}`;
    recordOrCarryOn(this.options.journal, 'breaker.state.unreadable', { problem, file, movedAside });
    for (const breaker of this.breakers) {
      if (breaker.kind !== 'latch') continue;
      const record: BreakerRecord = { state: 'tripped', action: 'block-entries', trippedAt: now, until: null, reason, value: null };
      recordOrCarryOn(this.options.journal, 'breaker.trip', { id: breaker.id, ...record });
      this.records.set(breaker.id, record);
    }
    this.persist();
  }

  private notify(level: NotificationLevel, title: string, message: string, id: string, time: number): void {
    this.options.output.notification({ id: `breaker-${id}-${time}`, level, title, message, time });
  }

  /** Saves the state; a failure is reported once (journalled and notified), never thrown, and retried by later evaluations. */
  private persist(durable = true): void {
    const now = this.options.now();
    try {
      this.options.stateFile.save({ records: Object.fromEntries(this.records), ledger: this.ledger }, { durable });
    } catch (error) {
      const message = errorMessage(error);
      if (!this.unsaved) {
        recordOrCarryOn(this.options.journal, 'breaker.state.save.failed', { file: this.options.stateFile.file, error: message });
        this.notify(
          'critical',
          'Breaker state not saved',
          `The breakers act as usual, but their state could not be written (${message}); a restart now would not remember a trip. Retrying.`,
          'state-file',
          now,
        );
      }
      this.unsaved = { at: now, error: message };
      return;
    }
    if (this.unsaved) recordOrCarryOn(this.options.journal, 'breaker.state.saved', { after: this.unsaved.error });
    this.unsaved = null;
    this.persisted = { ledger: JSON.stringify(this.ledger), withoutPeak: ledgerWithoutPeak(this.ledger), at: now };
  }

  private persistLedgerIfChanged(): void {
    if (this.unsaved) {
      if (this.options.now() - this.unsaved.at >= SAVE_RETRY_MS) this.persist();
      return;
    }
    if (JSON.stringify(this.ledger) === this.persisted.ledger) return;
    const onlyPeak = ledgerWithoutPeak(this.ledger) === this.persisted.withoutPeak;
    if (!onlyPeak || this.options.now() - this.persisted.at >= PEAK_PERSIST_MS) this.persist(false);
  }

  private emit(force: boolean): void {
    const views = this.views();
    const signature = JSON.stringify(views.map((v) => [v.state, v.reason, v.trippedUntil, v.threshold]));
    const now = this.options.now();
    if (!force && signature === this.lastEmit.signature && now - this.lastEmit.at < VIEW_THROTTLE_MS) return;
    this.lastEmit = { at: now, signature };
    this.options.output.breakers(views);
  }
}
