import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { TIMEFRAME_MS, type Candle, type MarketInfo, type Timeframe } from '../../shared/domain';
import type { Settings, StrategySettings } from '../../shared/settings';
import { PAPER_TICK_MS } from './exchange/paper-adapter';
import { entryLeverageCap } from './proposals/entry-planner';
import { createSyntheticFeed } from './sim/feeds/synthetic';
import { createSimExchange } from './sim/sim-exchange';
import { buildStrategy } from './strategy/catalog';
import { isExitSignal } from './strategy/strategy';
import { warmingHistory } from './strategy/strategy-runner';
import { workerEntry } from './strategy/worker-evaluator';

/** A signal counts when its bar closes this long after the start or later: by then the engine is warm and watching. */
export const OPENING_FIRST_CLOSE_MS = 60_000;
/** ... and at most this long after the start: the first proposal of a session is this close. */
export const OPENING_WINDOW_MS = 180_000;
/** Seeds tried before giving up on an opening setup (the chance per seed is about one in seventy). */
export const OPENING_SEEDS_TRIED = 1_000;

export interface OpeningSeed {
  seed: number;
  /** The strategy, the market and the close time of the bar whose signal opens the session. */
  strategy: string;
  symbol: string;
  signalAt: number;
  /** How long after the start that bar closes. */
  afterStartMs: number;
}

/** How a paper session's seed was set: given, or chosen for its opening (the journal's `engine.start` keeps it). */
export interface PaperSeed {
  seed: number;
  /** Where the simulated clock started: with the seed, what replays the session's synthetic prices (`--seed S --start-time T`). */
  startTime: number;
  /** True when no seed was given and the engine picked it. */
  chosen: boolean;
  opening: OpeningSeed | null;
  /** Why the search for an opening failed, when it did (the seed is then 1). */
  searchError?: string;
}

export interface OpeningSeedOptions {
  /** The simulated start (whole seconds), as the paper adapter will be given it. */
  startTime: number;
  settings: Settings;
  markets: readonly MarketInfo[];
  /** The first seed tried (default 1). */
  firstSeed?: number;
  /** How many seeds, from the first, the search covers (default {@link OPENING_SEEDS_TRIED}). */
  seedsTried?: number;
  /** Tries every stride-th seed of them only (default 1): one worker's share of a search split between several. */
  stride?: number;
  /** Told of each seed tried whose opening has no signal. */
  onMiss?: (seed: number) => void;
}

/**
 * Paper mode without a `--seed`: the first seed whose synthetic prices give one of the account's
 * enabled built-in strategies in manual-approval mode an entry signal on its first watched market
 * between one and three minutes after the start, so a new user sees the bot propose a trade
 * without waiting for chance.
 * The prices are the synthetic feed's own, played by the simulator that will run the session; only
 * the draw is picked. Null when no strategy or market applies, or no seed in the range opens so.
 */
export function chooseOpeningSeed(options: OpeningSeedOptions): OpeningSeed | null {
  if (!Number.isSafeInteger(options.startTime)) throw new Error(`The opening's start must be a time in whole milliseconds, got ${options.startTime}`);
  const strategies = openingStrategies(options.settings, options.startTime);
  const symbol = options.settings.symbols.find((s) => options.markets.some((m) => m.symbol === s));
  const market = options.markets.find((m) => m.symbol === symbol);
  if (strategies.length === 0 || !symbol || !market) return null;
  const firstSeed = options.firstSeed ?? 1;
  const seedsTried = options.seedsTried ?? OPENING_SEEDS_TRIED;
  for (let seed = firstSeed; seed < firstSeed + seedsTried; seed += options.stride ?? 1) {
    const signal = openingSignal(seed, market, strategies, options);
    if (signal) return { seed, strategy: signal.strategy, symbol: market.symbol, signalAt: signal.at, afterStartMs: signal.at - options.startTime };
    options.onMiss?.(seed);
  }
  return null;
}

/**
 * The strategies a session may open with: enabled, waiting for the user's approval (an automated one
 * would trade on the chosen prices by itself), and with a bar of their timeframe closing in the window.
 */
function openingStrategies(settings: Settings, startTime: number): StrategySettings[] {
  return settings.strategies.filter((s) => {
    if (!s.enabled || s.auto) return false;
    const bar = TIMEFRAME_MS[s.timeframe];
    const firstClose = Math.ceil((startTime + OPENING_FIRST_CLOSE_MS) / bar) * bar;
    return firstClose <= startTime + OPENING_WINDOW_MS;
  });
}

/** The first strategy to signal an entry in the opening window, and the close time of its bar; null when none does. */
function openingSignal(seed: number, market: MarketInfo, strategies: readonly StrategySettings[], options: OpeningSeedOptions): { strategy: string; at: number } | null {
  const { startTime, settings } = options;
  const sim = createSimExchange({ markets: [market], feed: createSyntheticFeed({ seed }), startTime, startBalance: 10_000, seed, tickMs: PAPER_TICK_MS });
  sim.advanceTo(startTime + OPENING_WINDOW_MS);
  const context = { equity: 10_000, drawdownPct: 0, maxLeverage: entryLeverageCap(settings, true) };
  for (const strategySettings of strategies) {
    const strategy = buildStrategy(strategySettings);
    const closed = sim.candles(market.symbol, strategy.timeframe, { until: startTime + OPENING_WINDOW_MS, limit: 10_000 }).filter((c) => closeOf(c, strategy.timeframe) <= startTime + OPENING_WINDOW_MS);
    const warm = warmingHistory(
      closed.filter((c) => closeOf(c, strategy.timeframe) <= startTime),
      strategy.warmup,
    );
    const live = closed.filter((c) => closeOf(c, strategy.timeframe) > startTime);
    const perSymbol = strategy.forSymbol(market.symbol);
    for (const candle of warm) perSymbol.onCandle(candle, context);
    for (const candle of live) {
      const decision = perSymbol.onCandle(candle, context);
      if (decision instanceof Promise) throw new Error('A built-in strategy answered with a promise');
      const at = closeOf(candle, strategy.timeframe);
      if (decision && !isExitSignal(decision) && at >= startTime + OPENING_FIRST_CLOSE_MS) return { strategy: strategySettings.id, at };
    }
  }
  return null;
}

function closeOf(candle: Candle, timeframe: Timeframe): number {
  return candle.time + TIMEFRAME_MS[timeframe];
}

/** The seed in words, for the start's log line: how it was set, and how to replay the session's prices. */
export function describePaperSeed(paper: PaperSeed): string {
  const replay = `replay: --seed ${paper.seed} --start-time ${new Date(paper.startTime).toISOString()}`;
  if (!paper.chosen) return `seed ${paper.seed}; ${replay}`;
  if (paper.opening) {
    const { strategy, symbol, afterStartMs } = paper.opening;
    return `seed ${paper.seed}, chosen so that ${strategy} signals on ${symbol} ${Math.round(afterStartMs / 1000)} s after the start; ${replay}`;
  }
  if (paper.searchError) return `seed ${paper.seed}: choosing one with an opening setup failed (${paper.searchError}); ${replay}`;
  return `seed ${paper.seed}: no strategy in manual-approval mode and watched market to open with, or no seed tried opened with a setup; ${replay}`;
}

/** One worker's share of a search: the options less the callback, which cannot cross threads. */
export type OpeningSeedJob = Omit<OpeningSeedOptions, 'onMiss'>;
/** What a worker says: each seed that missed, then the one it found, or that its share ran out, or why it failed. */
export type OpeningSeedReply = { type: 'miss'; seed: number } | { type: 'found'; opening: OpeningSeed } | { type: 'exhausted' } | { type: 'error'; error: string };

/** Workers a search is split between: the machine's cores, up to four. */
const searchWorkers = () => Math.max(1, Math.min(4, os.availableParallelism()));
/** A search that takes longer than this gives up (a machine that busy starts on seed 1 rather than wait). */
export const OPENING_SEARCH_TIMEOUT_MS = 10_000;

/** Where one worker's share of a search stands. */
export interface ShareState {
  /** The lowest seed of this share not yet tried, or Infinity once the share is done. */
  next: number;
  found: OpeningSeed | null;
  /** The seed this share failed on, and why. */
  failed: { seed: number; error: Error } | null;
}

/**
 * What a split search answers so far, as one thread trying the seeds in order would: wait while a
 * seed below the lowest found or failed one is untried; then that seed's opening, or its failure;
 * null once every share is done with neither.
 */
export function searchOutcome(shares: readonly ShareState[]): { done: false } | { done: true; opening: OpeningSeed | null } | { done: true; error: Error } {
  const found = shares.reduce<OpeningSeed | null>((low, s) => (s.found && (!low || s.found.seed < low.seed) ? s.found : low), null);
  const failed = shares.reduce<ShareState['failed']>((low, s) => (s.failed && (!low || s.failed.seed < low.seed) ? s.failed : low), null);
  const untried = Math.min(...shares.map((s) => s.next));
  const answer = Math.min(found?.seed ?? Infinity, failed?.seed ?? Infinity);
  if (answer === Infinity ? untried < Infinity : untried < answer) return { done: false };
  return failed && failed.seed === answer ? { done: true, error: failed.error } : { done: true, opening: found };
}

interface Share extends ShareState {
  worker: Worker;
}

/**
 * {@link chooseOpeningSeed} split between worker threads, each taking every n-th seed: the Electron
 * main process stays free, and the search takes its share of a second or two on each core. The answer
 * is one thread's: the lowest seed that opens with a signal, once every lower seed has been tried; or
 * the failure of the lowest seed that could not be tried, when no lower seed opens so.
 */
export function chooseOpeningSeedInWorkers(
  job: Omit<OpeningSeedJob, 'stride'>,
  options: { workers?: number; timeoutMs?: number } = {},
): Promise<OpeningSeed | null> {
  const workers = Math.max(1, Math.floor(options.workers ?? searchWorkers()));
  const firstSeed = job.firstSeed ?? 1;
  const seedsTried = job.seedsTried ?? OPENING_SEEDS_TRIED;
  const entry = workerEntry(import.meta.url, 'opening-seed-worker');
  const shares: Share[] = Array.from({ length: workers }, (_, i) => ({
    worker: new Worker(entry.file, {
      execArgv: entry.execArgv,
      workerData: { ...job, firstSeed: firstSeed + i, seedsTried: seedsTried - i, stride: workers } satisfies OpeningSeedJob,
      name: `opening seed ${i + 1}/${workers}`,
    }),
    next: firstSeed + i,
    found: null,
    failed: null,
  }));
  return new Promise((resolve, reject) => {
    let settled = false;
    const end = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const share of shares) void share.worker.terminate();
      outcome();
    };
    const timeoutMs = options.timeoutMs ?? OPENING_SEARCH_TIMEOUT_MS;
    const timer = setTimeout(() => end(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`))), timeoutMs);
    const decide = () => {
      const outcome = searchOutcome(shares);
      if (!outcome.done) return;
      if ('error' in outcome) end(() => reject(outcome.error));
      else end(() => resolve(outcome.opening));
    };
    const fail = (share: Share, error: Error) => {
      if (share.next === Infinity) return;
      share.failed = { seed: share.next, error };
      share.next = Infinity;
      decide();
    };
    for (const share of shares) {
      share.worker.on('message', (reply: OpeningSeedReply) => {
        if (reply.type === 'miss') share.next = reply.seed + workers;
        else if (reply.type === 'found') [share.found, share.next] = [reply.opening, Infinity];
        else if (reply.type === 'exhausted') share.next = Infinity;
        else return fail(share, new Error(reply.error));
        decide();
      });
      share.worker.once('error', (error) => fail(share, error));
      share.worker.once('exit', (code) => fail(share, new Error(`an opening-seed worker stopped (code ${code}) before answering`)));
    }
  });
}
