import type { BreakerAction, CheckViolation } from '../../../shared/domain';
import type { PositionExposure } from '../../../shared/risk/account-exposure';
import type { Settings } from '../../../shared/settings';
import type { Breaker, BreakerId, BreakerSnapshot, BreakerVerdict, EntryIntent } from '../breakers/breaker';
import { BREAKERS } from '../breakers/registry';
import { EMPTY_LEDGER, observeEquity, rebase, recordTradeResult, type BreakerLedger } from '../breakers/ledger';
import type { BreakerTrip } from './types';

/**
 * The breakers a backtest runs: those that act on equity and positions. The
 * volatility halt and the volatility flatten are left out (they sample marks every second, which bars do not have).
 */
const NEEDS_MARKS_EVERY_SECOND: ReadonlySet<BreakerId> = new Set(['volatility', 'volatility-flatten'] as BreakerId[]);
export const BACKTEST_BREAKERS: readonly Breaker[] = BREAKERS.filter((b) => !NEEDS_MARKS_EVERY_SECOND.has(b.id));

interface Latched {
  until: number | null;
  action: BreakerAction;
  reason: string;
}

/** What the account looks like to the breakers at one moment of simulated time. */
export interface AccountView {
  equity: number;
  accountMarginRatioPct: number | null;
  positions: PositionExposure[];
}

/** An action a tripped (or still tripping) breaker asks the backtest to take now. */
export interface BreakerOrder {
  breaker: BreakerId;
  action: 'close' | 'reduce' | 'flatten';
  symbols: string[];
  fraction: number;
  reason: string;
}

/**
 * The breakers as the live BreakerManager applies them, by simulated time and
 * without a journal or disk: the same breaker verdicts, the same ledger (day,
 * week, peak, loss streak), latches that hold until their time (or for the
 * rest of the run when only a user reset would re-arm them), and each trip recorded.
 */
export class BacktestBreakers {
  private ledger: BreakerLedger = EMPTY_LEDGER;
  private readonly latched = new Map<BreakerId, Latched>();
  readonly trips: BreakerTrip[] = [];
  private readonly snapshot: BreakerSnapshot = {
    now: 0,
    equity: null,
    dayStartEquity: null,
    weekStartEquity: null,
    peakEquity: null,
    lossStreak: { count: 0, lastLossAt: null },
    accountMarginRatioPct: null,
    positions: [],
    volatilityPct: {},
    entry: null,
  };

  constructor(
    private readonly settings: Settings,
    private readonly breakers: readonly Breaker[] = BACKTEST_BREAKERS,
  ) {}

  /** A closed trade's net result: extends or ends the loss streak. */
  recordTrade(netPnl: number, time: number): void {
    this.ledger = recordTradeResult(this.ledger, netPnl, time);
  }

  /** Raises the peak (and opens a new day or week) when needed; allocates only then. */
  observeEquity(equity: number, now: number): void {
    const l = this.ledger;
    if (l.day !== null && l.week !== null && l.peakEquity !== null && equity <= l.peakEquity && now < l.day.start + 86_400_000 && now < l.week.start + 7 * 86_400_000) return;
    this.ledger = observeEquity(l, equity, now);
  }

  /** Evaluates every breaker on the account; trips latches and returns the actions to take now. */
  evaluate(now: number, account: AccountView): BreakerOrder[] {
    this.rearmExpired(now, account.equity);
    this.observeEquity(account.equity, now);
    const snapshot = this.fill(now, account, null);
    const orders: BreakerOrder[] = [];
    for (const breaker of this.breakers) {
      const verdict = breaker.evaluate(snapshot, this.settings);
      if (verdict.action === 'none') continue;
      if (breaker.kind === 'latch') this.trip(breaker, verdict, now, account.equity);
      const action = verdict.action;
      if (action === 'flatten' && breaker.kind === 'latch') orders.push({ breaker: breaker.id, action, symbols: account.positions.map((p) => p.symbol), fraction: 1, reason: `${breaker.label}: ${verdict.reason}` });
      else if ((action === 'close' || action === 'reduce') && verdict.symbols?.length) {
        orders.push({ breaker: breaker.id, action, symbols: verdict.symbols, fraction: action === 'reduce' ? (verdict.fraction ?? 1) : 1, reason: `${breaker.label}: ${verdict.reason}` });
      }
    }
    return orders;
  }

  /** The breakers' objections to an entry, as the live entry gate words them. */
  entryViolations(now: number, account: AccountView, entry: EntryIntent): CheckViolation[] {
    this.rearmExpired(now, account.equity);
    this.observeEquity(account.equity, now);
    const snapshot = this.fill(now, account, entry);
    const violations: CheckViolation[] = [];
    for (const breaker of this.breakers) {
      const latched = this.latched.get(breaker.id);
      if (latched) {
        violations.push({ rule: 'breaker', message: `${breaker.label} tripped: ${latched.reason}` });
        continue;
      }
      const verdict = breaker.evaluate(snapshot, this.settings);
      if (verdict.action !== 'none') violations.push({ rule: 'breaker', message: `${breaker.label}: ${verdict.reason}` });
    }
    return violations;
  }

  private fill(now: number, account: AccountView, entry: EntryIntent | null): BreakerSnapshot {
    const s = this.snapshot;
    s.now = now;
    s.equity = account.equity;
    s.dayStartEquity = this.ledger.day?.equity ?? null;
    s.weekStartEquity = this.ledger.week?.equity ?? null;
    s.peakEquity = this.ledger.peakEquity;
    s.lossStreak = this.ledger.lossStreak;
    s.accountMarginRatioPct = account.accountMarginRatioPct;
    s.positions = account.positions;
    s.entry = entry;
    return s;
  }

  private trip(breaker: Breaker, verdict: BreakerVerdict, now: number, equity: number): void {
    if (this.latched.has(breaker.id)) return;
    const until = verdict.until ?? null;
    const reason = verdict.reason ?? breaker.label;
    this.latched.set(breaker.id, { until, action: verdict.action, reason });
    this.trips.push({ time: now, breaker: breaker.id, action: verdict.action, reason, value: verdict.value, threshold: verdict.threshold, until, equity });
  }

  private rearmExpired(now: number, equity: number | null): void {
    if (this.latched.size === 0) return;
    for (const [id, latch] of this.latched) {
      if (latch.until === null || latch.until > now) continue;
      this.latched.delete(id);
      const rebaseOnRearm = this.breakers.find((b) => b.id === id)?.rebaseOnRearm;
      if (rebaseOnRearm) this.ledger = rebase(this.ledger, rebaseOnRearm, equity, now);
    }
  }
}
