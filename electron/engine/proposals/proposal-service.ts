import { TIMEFRAME_MS, type Proposal, type ProposalRecord, type Side, type Timeframe } from '../../../shared/domain';
import { fundingCost } from '../../../shared/risk/funding';
import type { TradePlan } from '../../../shared/risk/trade-plan';
import type { AccountBook } from '../account/account-book';
import { CommandError } from '../errors';
import type { EntryGates } from '../entry-gates';
import type { ExchangeAdapter } from '../exchange/adapter';
import type { MarketData } from '../market-data/market-data';
import type { ExitSignal, Signal } from '../strategy/strategy';
import { withRetry } from '../exchange/retry';
import { recordOrCarryOn, type Journal } from '../journal';
import type { RiskSettings, Settings } from '../../../shared/settings';
import { riskPerTradeFor } from '../../../shared/risk/risk-per-trade';
import { describeViolations, planEntry, planFigures, type EntryIdea, type EntryPlan } from './entry-planner';
import { ProposalBook } from './proposal-book';

/**
 * How long a proposal waits for approval. A strategy's lives for
 * `risk.proposalTtlCandles` candles of the strategy's timeframe, unless the
 * time limit `risk.proposalTtlMs` is shorter; a manual ticket, which has no
 * timeframe, lives for the time limit.
 *
 * @example proposalLifetimeMs({ proposalTtlCandles: 2, proposalTtlMs: 3_600_000 }, '5m') // 600_000: two 5m candles
 */
export function proposalLifetimeMs(risk: Pick<RiskSettings, 'proposalTtlCandles' | 'proposalTtlMs'>, timeframe: Timeframe | null): number {
  if (timeframe === null) return risk.proposalTtlMs;
  return Math.min(risk.proposalTtlCandles * TIMEFRAME_MS[timeframe], risk.proposalTtlMs);
}

export interface ManualTicket {
  symbol: string;
  side: Side;
  stop: number;
  takeProfit: number;
  entry?: number;
  leverage?: number;
}

export interface ProposalServiceDeps {
  adapter: ExchangeAdapter;
  book: AccountBook;
  market: MarketData;
  gates: EntryGates;
  journal: Pick<Journal, 'record'>;
  settings: () => Settings;
  now: () => number;
  newId: () => string;
  publish: (proposals: Proposal[]) => void;
  /** The strategy's record a proposal of it shows (backtest and live); none when absent. */
  recordOf?: (strategy: string, symbol: string, timeframe: Timeframe) => ProposalRecord;
}

/**
 * Turns signals and tickets into proposals: every one sized and checked by
 * shared/risk on the account as it is now (a failing one is still shown, with
 * its reasons), journalled, and expired after its candles or its time.
 */
export class ProposalService {
  readonly book = new ProposalBook();

  constructor(private readonly deps: ProposalServiceDeps) {}

  /**
   * A strategy signal becomes a proposal; null when the symbol is already taken or the strategy is at its limit.
   * `riskPerTrade` is the strategy's own figure, when it declares one: it sizes the proposal, capped by the global setting.
   */
  fromSignal(strategyId: string, signal: Signal, timeframe: Timeframe, auto: boolean, maxConcurrent: number, riskPerTrade?: number): Proposal | null {
    const busy = this.busySymbols();
    if (busy.has(signal.symbol)) return null;
    const mine = this.book.withStatus('pending', 'executing').filter((p) => p.source === strategyId).length;
    if (this.deps.book.exchangePositions().length + mine >= maxConcurrent) return null;
    const ttl = proposalLifetimeMs(this.deps.settings().risk, timeframe);
    const record = this.deps.recordOf?.(strategyId, signal.symbol, timeframe);
    const { reason, leverage, ...levels } = signal;
    return this.create(strategyId, reason, { ...levels, ...(leverage !== undefined ? { leverage } : {}), automated: true }, auto, ttl, riskPerTrade, record);
  }

  /**
   * An exit signal becomes a close proposal for the strategy's open position on
   * its symbol; null when there is none (no position, or one this strategy did not
   * open: a position opened by hand or by another strategy is never its to close),
   * or when a proposal for the symbol is already live.
   */
  fromExit(strategyId: string, exit: ExitSignal, timeframe: Timeframe, auto: boolean): Proposal | null {
    const position = this.deps.book.exchangePositions().find((p) => p.symbol === exit.symbol);
    if (!position || this.book.withStatus('pending', 'executing').some((p) => p.symbol === exit.symbol)) return null;
    const opener = this.book.withStatus('executed').find((p) => p.symbol === exit.symbol && p.kind !== 'close');
    if (this.deps.book.origin(exit.symbol) !== 'bot' || opener?.source !== strategyId) return null;
    const mark = this.deps.book.markPrice(exit.symbol) ?? position.markPrice;
    const now = this.deps.now();
    const proposal: Proposal = {
      id: this.deps.newId(),
      kind: 'close',
      source: strategyId,
      reason: exit.reason,
      symbol: exit.symbol,
      side: position.side,
      entry: position.entryPrice,
      stop: 0,
      takeProfit: 0,
      leverage: position.leverage,
      quantity: position.contracts,
      notional: position.contracts * mark,
      margin: position.initialMargin,
      riskAmount: 0,
      rewardRisk: 0,
      liquidationPrice: position.liquidationPrice,
      distanceToLiquidationPct: null,
      estimatedFees: position.contracts * mark * this.market(exit.symbol).takerFee,
      verdict: { ok: true, violations: [] },
      status: 'pending',
      statusReason: null,
      auto,
      createdAt: now,
      expiresAt: now + proposalLifetimeMs(this.deps.settings().risk, timeframe),
    };
    this.book.add(proposal);
    this.deps.journal.record('proposal.created', proposal);
    this.publish();
    return proposal;
  }

  /** A trade ticket from the user: same sizing, same checks. Entry defaults to the current price. */
  async manual(ticket: ManualTicket): Promise<Proposal> {
    this.refuseIfTaken(ticket.symbol);
    const idea = await this.ticketIdea(ticket);
    this.refuseIfTaken(ticket.symbol);
    const ttl = proposalLifetimeMs(this.deps.settings().risk, null);
    return this.create('manual', `Manual ${ticket.side} ticket`, idea, false, ttl);
  }

  /**
   * What a ticket would become, without proposing it: the ticket shows the leverage it will use
   * (the lowest that passes, when it names none) and the plan's figures before Propose.
   * Entry defaults to the latest known price, else the exchange's.
   */
  async preview(ticket: ManualTicket): Promise<EntryPlan> {
    return planEntry(this.deps, await this.ticketIdea(ticket, this.deps.book.markPrice(ticket.symbol) ?? undefined));
  }

  private async ticketIdea(ticket: ManualTicket, knownPrice?: number): Promise<EntryIdea> {
    this.market(ticket.symbol);
    const entry = ticket.entry ?? knownPrice ?? (await this.currentPrice(ticket.symbol));
    return { symbol: ticket.symbol, side: ticket.side, entry, stop: ticket.stop, takeProfit: ticket.takeProfit, ...(ticket.leverage !== undefined ? { leverage: ticket.leverage } : {}) };
  }

  get(id: string): Proposal {
    const p = this.book.get(id);
    if (!p) throw new CommandError('not-found', `No proposal ${id}`);
    return p;
  }

  /** Moves a proposal on; final states carry the reason. It records what already happened, so a journal that cannot be written does not stop it. */
  setStatus(id: string, status: Proposal['status'], statusReason: string | null, patch: Partial<Proposal> = {}): Proposal {
    const updated = this.book.update(id, { ...patch, status, statusReason });
    recordOrCarryOn(this.deps.journal, `proposal.${status}`, { id, symbol: updated.symbol, reason: statusReason, ...patch });
    this.publish();
    return updated;
  }

  reject(id: string, reason: string): Proposal {
    const p = this.get(id);
    if (p.status !== 'pending') throw new CommandError('refused', `Proposal ${id} is ${p.status}, not pending`);
    return this.setStatus(id, 'rejected', reason);
  }

  /** Rejects every pending proposal (the flatten does this); returns them. */
  rejectAll(reason: string): Proposal[] {
    return this.book.withStatus('pending').map((p) => this.setStatus(p.id, 'rejected', reason));
  }

  /** Expires pending proposals past their time. */
  expire(): Proposal[] {
    const now = this.deps.now();
    return this.book
      .withStatus('pending')
      .filter((p) => p.expiresAt <= now)
      .map((p) => this.setStatus(p.id, 'expired', `Expired unapproved at ${new Date(p.expiresAt).toISOString()}`));
  }

  /** Re-plans a proposal at a new entry price, with the account and the risk settings as they are now. */
  replan(p: Proposal, entry: number): TradePlan {
    const risk = riskPerTradeFor(p.risk?.declared, this.deps.settings().risk.riskPerTrade);
    return planEntry(this.deps, { symbol: p.symbol, side: p.side, entry, stop: p.stop, takeProfit: p.takeProfit, leverage: p.leverage, automated: p.source !== 'manual', riskPerTrade: risk.fraction });
  }

  /** The price an approval is checked against: the last trade price, fresh from the exchange. */
  async currentPrice(symbol: string): Promise<number> {
    const ticker = await withRetry(() => this.deps.adapter.fetchTicker(symbol));
    const price = ticker.last || ticker.mark;
    if (!(price > 0)) throw new CommandError('temporary', `No current price for ${symbol}`);
    this.deps.market.ingestTicker(ticker);
    return price;
  }

  /** The record of `strategy` on `symbol` changed (a backtest ended): its pending proposals there show the new one. */
  refreshRecords(strategy: string, symbol: string): void {
    const stale = this.book.withStatus('pending').filter((p) => p.source === strategy && p.symbol === symbol && p.record);
    if (!this.deps.recordOf || stale.length === 0) return;
    for (const p of stale) this.book.update(p.id, { record: this.deps.recordOf(strategy, symbol, p.record!.timeframe) });
    this.publish();
  }

  list(): Proposal[] {
    return this.book.list();
  }

  publish(): void {
    this.deps.publish(this.book.list());
  }

  private create(source: string, reason: string, idea: EntryIdea, auto: boolean, ttlMs: number, declaredRisk?: number, record?: ProposalRecord): Proposal {
    this.market(idea.symbol);
    const risk = riskPerTradeFor(declaredRisk, this.deps.settings().risk.riskPerTrade);
    const plan = planEntry(this.deps, { ...idea, riskPerTrade: risk.fraction });
    const now = this.deps.now();
    const proposal: Proposal = {
      id: this.deps.newId(),
      source,
      reason: plan.leverageChosen ? `${reason}; ${plan.leverage}x, the lowest leverage that passes${plan.verdict.ok ? '' : ' (none does)'}` : reason,
      symbol: idea.symbol,
      side: idea.side,
      entry: plan.entry,
      stop: plan.stop,
      takeProfit: plan.takeProfit,
      leverage: plan.leverage,
      risk,
      ...planFigures(plan),
      fundingPer8h: this.fundingPer8h(idea.symbol, idea.side, plan.notional),
      status: 'pending',
      statusReason: plan.verdict.ok ? null : describeViolations(plan.verdict),
      auto,
      createdAt: now,
      expiresAt: now + ttlMs,
      ...(record ? { record } : {}),
    };
    this.book.add(proposal);
    this.deps.journal.record('proposal.created', proposal);
    this.publish();
    return proposal;
  }

  /** One settlement's funding at the latest known rate: what the entry would pay (negative: receive). */
  private fundingPer8h(symbol: string, side: Side, notional: number): number | null {
    const rate = this.deps.market.ticker(symbol)?.fundingRate;
    return rate === undefined || !Number.isFinite(rate) ? null : fundingCost(side, notional, rate);
  }

  private market(symbol: string) {
    try {
      return this.deps.adapter.market(symbol);
    } catch {
      throw new CommandError('invalid-input', `Unknown market ${symbol}`);
    }
  }

  /** Refuses a new proposal on a symbol that holds a position or a live proposal; checked again after every await. */
  private refuseIfTaken(symbol: string): void {
    if (this.busySymbols().has(symbol)) {
      throw new CommandError('refused', `${symbol} already has an open position or a live proposal; close or reject it first`, { code: 'symbol-taken' });
    }
  }

  private busySymbols(): Set<string> {
    return new Set([...this.deps.book.exchangePositions().map((p) => p.symbol), ...this.book.withStatus('pending', 'executing').map((p) => p.symbol)]);
  }
}
