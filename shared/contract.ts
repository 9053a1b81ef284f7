/**
 * The one API contract between the renderer and the engine.
 *
 * Every command the renderer can send is listed in {@link commandInputs} (its
 * input schema) and {@link CommandResults} (its result type). Every event the
 * engine pushes is listed in {@link EngineEvents}. Both transports, Electron
 * IPC and the loopback WebSocket, validate each incoming message with
 * {@link parseCommand} and carry the same {@link Result} values.
 */
import { z } from 'zod';
import type {
  AccountState,
  BacktestJob,
  LiquidationFormula,
  BreakerView,
  Candle,
  ConnectionState,
  CredentialStatus,
  DataDiskStatus,
  Fill,
  FlattenReport,
  FundingSummary,
  JournalEntry,
  MarketInfo,
  Mode,
  Notification,
  Order,
  PlanFigures,
  Position,
  Proposal,
  SizingSuggestion,
  StrategyFileView,
  StrategyFolder,
  StrategyStatus,
  Ticker,
  Timeframe,
} from './domain';
import { LIVE_EXCHANGES, TIMEFRAMES } from './domain';
import type { MarginHistoryView } from './margin-history';
import type { DrillCatalog, DrillState } from './drills';
import { practiceAccountProblem } from './practice-accounts';
import { fail, ok, type Result } from './result';
import { COMMAND_NAMES } from './ipc';
import { settingsSchema, type Settings } from './settings';

/** Longest string any command field accepts. */
export const MAX_STRING = 256;
/** Largest frame, in bytes, that a transport accepts. */
export const MAX_FRAME_BYTES = 64 * 1024;

const text = (max = MAX_STRING) => z.string().max(max);
const symbol = z.string().min(3).max(40);
const timeframe = z.enum(TIMEFRAMES);
const side = z.enum(['long', 'short']);
const positivePrice = z.number().finite().gt(0);
const id = z.string().min(1).max(128);
/** A trade ticket: without `entry` it is at the market; without `leverage` the planner chooses the lowest that passes. */
const ticket = z.strictObject({
  symbol,
  side,
  stop: positivePrice,
  takeProfit: positivePrice,
  entry: positivePrice.optional(),
  leverage: z.number().finite().min(1).max(125).optional(),
});

/** Every command the engine answers, by name, with the zod schema its input must pass (checked by {@link parseCommand} on both transports). */
export const commandInputs = {
  /** Round-trips a nonce: proves the transport and the engine answer. */
  'engine.ping': z.strictObject({ nonce: text() }),
  /** Everything the renderer needs at start, in one call. */
  'session.snapshot': z.strictObject({}),
  /** Candle history for the chart; live bars follow as `candle` events. */
  'market.candles': z.strictObject({ symbol, timeframe, limit: z.number().int().min(1).max(1500).optional() }),
  /** Creates a manual proposal from the trade ticket; it is sized and checked like any other. */
  'proposal.create': ticket,
  /**
   * What a ticket would become, without proposing it: the leverage it will use (the lowest that passes every
   * check, when it names none) and its sized, checked figures. Entry defaults to the latest known price.
   */
  'proposal.preview': ticket,
  /** Re-checks against the current price and, if still valid, executes with protection. */
  'proposal.approve': z.strictObject({ id }),
  /** Rejects a pending proposal; `reason` is kept on it and journalled. */
  'proposal.reject': z.strictObject({ id, reason: text().optional() }),
  /** Closes one position with a reduce-only market order and cancels its protection. */
  'position.close': z.strictObject({ symbol }),
  /**
   * Cuts a position by 25, 50 or 75% with reduce-only market orders (rounded down to the market's step);
   * its stop-loss and take-profit shrink with it, so no protective order exceeds the position.
   */
  'position.reduce': z.strictObject({ symbol, fraction: z.union([z.literal(0.25), z.literal(0.5), z.literal(0.75)]) }),
  /** Adds margin to or removes it from an isolated position, in USDT (a cross position is refused). */
  'position.margin': z.strictObject({ symbol, direction: z.enum(['add', 'remove']), amount: z.number().finite().gt(0).max(1e9) }),
  /** Moves a position's stop-loss or take-profit: new order first, then cancel the old. */
  'order.move': z.strictObject({ symbol, purpose: z.enum(['stop', 'take-profit']), price: positivePrice }),
  /** The margin history of the last 24 h and 7 d: margin ratio and liquidation distances, worst values, margin calls. */
  'margin.history': z.strictObject({}),
  /** Re-arms a tripped breaker. `confirmation` must be the breaker's id, typed by the user. */
  'breaker.reset': z.strictObject({ id, confirmation: text() }),
  /** The panic button: cancels every order and closes every position, whatever state the bot is in. */
  flatten: z.strictObject({ reason: text().optional() }),
  /**
   * Turns a strategy on or off (`enabled`), and lets it execute its own proposals that pass every check or not (`auto`).
   * For a strategy file (`file:…`) also the watched symbols it may propose on (`symbols`, empty: all) and its
   * parameters (`params`), each checked against the bounds the file declares.
   */
  'strategy.set': z.strictObject({
    id,
    enabled: z.boolean().optional(),
    auto: z.boolean().optional(),
    symbols: z.array(symbol).max(20).optional(),
    params: z.record(z.string().min(1).max(64), z.number().finite()).optional(),
  }),
  /** Opens the strategies folder in the desktop's file manager (Electron); headless answers with its path only. */
  'strategies.folder': z.strictObject({}),
  /**
   * Starts a backtest in a worker thread (one at a time): a strategy (built-in or `file:…`) over the symbols'
   * history on `timeframe` between `from` and `to` (epoch ms), from the exchange (fetched and cached; paper: the
   * simulated venue's) or from an OHLCV file (`file`, one symbol). Progress and the result come as `backtest` events.
   */
  'backtest.run': z
    .strictObject({
      strategy: id,
      symbols: z.array(symbol).min(1).max(10),
      timeframe,
      from: z.number().int().nonnegative(),
      to: z.number().int().positive(),
      balance: z.number().finite().gt(0).max(1e9),
      file: text(1024).min(1).optional(),
    })
    .refine((input) => input.from < input.to, { path: ['from'], message: 'must be before the end of the range' })
    .refine((input) => input.file === undefined || input.symbols.length === 1, { path: ['symbols'], message: 'a file holds one symbol' }),
  /** Cancels a running backtest; it stops at its next progress step and reports what it did. */
  'backtest.cancel': z.strictObject({ id }),
  /** Lets the strategies propose again after a flatten halted them. Refused while a flatten runs or the drawdown breaker is tripped. */
  'strategies.resume': z.strictObject({}),
  /** The newest journal entries, oldest first; `filter` keeps those whose type or content contains it (any case). */
  'journal.tail': z.strictObject({ limit: z.number().int().min(1).max(5000).optional(), filter: text().optional() }),
  /** The whole journal as JSON lines, for saving. */
  'journal.export': z.strictObject({}),
  /** The settings in force. */
  'settings.get': z.strictObject({}),
  /** Replaces the settings; an invalid value comes back as field errors. */
  'settings.update': z.strictObject({ settings: settingsSchema }),
  /**
   * Stores exchange credentials in the main process. They are never sent back.
   * `testnet` and `demo` say which practice account the keys are for (both false: the real account);
   * only those the exchange has are accepted (shared/practice-accounts.ts).
   */
  'credentials.set': z
    .strictObject({
      exchange: z.enum(LIVE_EXCHANGES),
      apiKey: z.string().min(8).max(MAX_STRING),
      apiSecret: z.string().min(8).max(MAX_STRING),
      password: z.string().max(MAX_STRING).optional(),
      testnet: z.boolean(),
      demo: z.boolean(),
      acceptPlaintext: z.boolean().optional(),
    })
    .superRefine((input, ctx) => {
      const problem = practiceAccountProblem(input.exchange, input);
      if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
    }),
  /** Which exchange keys are stored and how they are protected; never the keys themselves. */
  'credentials.status': z.strictObject({}),
  /** Deletes the stored keys. */
  'credentials.clear': z.strictObject({}),
  /** Tries the stored keys on their exchange (and practice account) with a read-only balance call, in either mode; the answer carries the exchange's own error, never the keys. */
  'credentials.test': z.strictObject({}),
  /**
   * Chooses the trading mode of the next start and restarts the app into it (Electron only).
   * Live needs stored keys, and `confirmation` must be their exchange id (e.g. `binanceusdm`), typed by the user;
   * paper needs no confirmation (an empty string is fine).
   */
  'mode.set': z.strictObject({ mode: z.enum(['paper', 'live']), confirmation: text() }),
  /** The mode running now and the one chosen for the next start. */
  'mode.status': z.strictObject({}),
  /** The crash drills on offer (built-in and the data folder's `drills/*.json`) and the drill state; paper mode only. */
  'drill.list': z.strictObject({}),
  /** Starts a crash drill on the paper exchange (`id` from `drill.list`); refused in live mode. */
  'drill.start': z.strictObject({ id }),
  /** Stops the drill: prices return to the feed; one still running ends with its report. */
  'drill.stop': z.strictObject({}),
} as const;

/** The name of one command of the contract. */
export type CommandName = keyof typeof commandInputs;
/** What command `K` takes, as its schema parses it. */
export type CommandInput<K extends CommandName> = z.infer<(typeof commandInputs)[K]>;

/** How many of the newest fills a snapshot carries. */
export const SNAPSHOT_FILLS = 200;

/** The whole state the renderer starts from (`session.snapshot`); events keep it current afterwards. */
export interface SessionSnapshot {
  mode: Mode;
  /** `paper`, or the ccxt exchange id in live mode. */
  exchange: string;
  /** Which published liquidation formula the engine uses for this exchange: previews must use the same. */
  liquidationFormula: LiquidationFormula;
  symbols: string[];
  timeframes: readonly Timeframe[];
  markets: MarketInfo[];
  account: AccountState;
  positions: Position[];
  orders: Order[];
  proposals: Proposal[];
  breakers: BreakerView[];
  strategies: StrategyStatus[];
  connection: ConnectionState;
  tickers: Ticker[];
  settings: Settings;
  lastFlatten: FlattenReport | null;
  /** The newest fills, oldest first, at most {@link SNAPSHOT_FILLS}: those of the last day loaded from the exchange at start, then each new one; the chart's fill markers survive a reload and a restart. */
  fills: Fill[];
  /** Kelly sizing from the closed trades, offered beside the risk setting and never above it; `sizing` events keep it current. */
  sizing: SizingSuggestion;
  /** Funding today and per open position since it opened; `funding` events keep it current. */
  funding?: FundingSummary;
  /** The strategy files in the strategies folder, loaded or with their error; `strategyFiles` events keep it current. */
  strategyFiles: StrategyFileView[];
  /** Whether the data folder can be written; `dataDisk` events keep it current. */
  dataDisk: DataDiskStatus;
}

/** The trading mode now and at the next start. */
export interface ModeStatus {
  /** The mode the engine runs in now. */
  current: Mode;
  /** The exchange the engine trades on now in live mode; null for paper. */
  currentExchange: string | null;
  /** The mode the next start will run in. */
  next: Mode;
  /** The exchange the next start trades on in live mode; null for paper. */
  exchange: string | null;
  /** Whether the next start trades on the exchange's testnet (live only; false for paper). */
  testnet: boolean;
  /** Whether the next start trades on the exchange's demo trading (live only; false for paper). */
  demo: boolean;
  /** The next start differs from what runs now. */
  restartRequired: boolean;
  /** Why the mode cannot be chosen from the app (headless, or pinned by `COCKPIT_EXCHANGE`); null when it can. */
  locked: string | null;
}

/** What `proposal.preview` returns: a ticket's plan before it is proposed. */
export interface TicketPreview extends PlanFigures {
  entry: number;
  stop: number;
  takeProfit: number;
  /** The whole leverage the proposal would use. */
  leverage: number;
  /** True when the ticket named no leverage and the planner chose the lowest that passes. */
  leverageChosen: boolean;
}

/** What `proposal.approve` returns: the proposal in its final state, and the position it opened (null when it opened none). */
export interface ApproveResult {
  proposal: Proposal;
  position: Position | null;
}

/** What each command returns on success. */
export interface CommandResults {
  'engine.ping': { nonce: string; serverTime: number };
  'session.snapshot': SessionSnapshot;
  'market.candles': Candle[];
  'proposal.create': Proposal;
  'proposal.preview': TicketPreview;
  'proposal.approve': ApproveResult;
  'proposal.reject': Proposal;
  'position.close': { symbol: string; closedContracts: number };
  'position.reduce': { symbol: string; reducedContracts: number; position: Position | null };
  'position.margin': { symbol: string; moved: number; position: Position };
  'order.move': Order;
  'margin.history': MarginHistoryView;
  'breaker.reset': BreakerView;
  flatten: FlattenReport;
  'strategy.set': StrategyStatus;
  'strategies.resume': StrategyStatus[];
  'strategies.folder': StrategyFolder;
  'backtest.run': BacktestJob;
  'backtest.cancel': BacktestJob;
  'journal.tail': JournalEntry[];
  'journal.export': { fileName: string; content: string };
  'settings.get': Settings;
  'settings.update': Settings;
  'credentials.set': CredentialStatus;
  'credentials.status': CredentialStatus;
  'credentials.clear': CredentialStatus;
  'credentials.test': { ok: boolean; message: string };
  'mode.set': ModeStatus;
  'mode.status': ModeStatus;
  'drill.list': DrillCatalog;
  'drill.start': DrillState;
  'drill.stop': DrillState;
}

/** Every event the engine pushes, with its payload. */
export interface EngineEvents {
  candle: { symbol: string; timeframe: Timeframe; candle: Candle; closed: boolean };
  ticker: Ticker;
  account: AccountState;
  positions: Position[];
  orders: Order[];
  fill: Fill;
  /** Fills from before this engine started, loaded from the exchange once it has (the chart's markers); never new ones. */
  fills: Fill[];
  proposals: Proposal[];
  breakers: BreakerView[];
  strategies: StrategyStatus[];
  connection: ConnectionState;
  journal: JournalEntry;
  flatten: FlattenReport;
  notification: Notification;
  settings: Settings;
  /** Funding today and per open position, after each settlement and each position opened or closed. */
  funding: FundingSummary;
  /** The Kelly sizing suggestion, after a trade closes or the risk setting changes. */
  sizing: SizingSuggestion;
  /** The strategy files, after one was added, changed, removed or (re)loaded. */
  strategyFiles: StrategyFileView[];
  /** A backtest's progress, and at its end its report. */
  backtest: BacktestJob;
  /** The data folder became unwritable (with the cause) or writable again. */
  dataDisk: DataDiskStatus;
  /** A crash drill began, ended or was stopped (paper mode). */
  drill: DrillState;
}

/** The name of one pushed event. */
export type EventName = keyof EngineEvents;
/** Every event name, for transports that subscribe to all of them. */
export const EVENT_NAMES = [
  'candle',
  'ticker',
  'account',
  'positions',
  'orders',
  'fill',
  'fills',
  'proposals',
  'breakers',
  'strategies',
  'connection',
  'journal',
  'flatten',
  'notification',
  'settings',
  'sizing',
  'funding',
  'strategyFiles',
  'backtest',
  'dataDisk',
  'drill',
] as const satisfies readonly EventName[];

type Exhaustive<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _allEventsListed: Exhaustive<(typeof EVENT_NAMES)[number], EventName> = true;
const _allResultsListed: Exhaustive<keyof CommandResults, CommandName> = true;
void _allEventsListed;
void _allResultsListed;

/**
 * What the renderer holds: `window.cockpit` in Electron, or its WebSocket twin.
 * The rest of the renderer never knows which one it has.
 */
export interface CockpitApi {
  /** Sends one command; failures come back as `{ ok: false, error }`, never as a rejection. */
  invoke<K extends CommandName>(command: K, input: CommandInput<K>): Promise<Result<CommandResults[K]>>;
  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, handler: (payload: EngineEvents[E]) => void): () => void;
}

/** What a host (the engine) implements; transports call it after validation. */
export type CommandHandlers = {
  [K in CommandName]: (input: CommandInput<K>) => Promise<CommandResults[K]>;
};

/** True when `name` is a command of the contract. */
export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commandInputs, name);
}

/** Validates a command name and input against the contract. */
export function parseCommand(name: unknown, input: unknown): Result<{ command: CommandName; input: unknown }> {
  if (!isCommandName(name)) {
    return fail('unknown-command', `Unknown command: ${typeof name === 'string' ? name.slice(0, 64) : typeof name}`);
  }
  const parsed = commandInputs[name].safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join('.') || '(input)'] = issue.message;
    const first = parsed.error.issues[0];
    const where = first && first.path.length ? `${first.path.join('.')}: ` : '';
    return fail('invalid-input', `Invalid input for ${name}: ${where}${first?.message ?? 'rejected'}`, { fields });
  }
  return ok({ command: name, input: parsed.data });
}

/** The WebSocket wire format; IPC carries the same Result values. */
export const clientFrameSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  command: z.string().max(64),
  input: z.unknown(),
});
/** One command sent over the WebSocket: `id` pairs it with its result frame. */
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** What the WebSocket server sends: a command's result (id null when the frame could not be read), or a pushed event. */
export type ServerFrame =
  | { kind: 'result'; id: number | null; result: Result<unknown> }
  | { kind: 'event'; event: EventName; payload: unknown };

export { COMMAND_NAMES, IPC, type IpcEventFrame } from './ipc';
const _allCommandsListed: Exhaustive<(typeof COMMAND_NAMES)[number], CommandName> = true;
void _allCommandsListed;
