import { LIVE_EXCHANGES, type LiveExchangeId } from '../../../shared/domain';
import type { ExchangeCapabilities } from './adapter';

export { LIVE_EXCHANGES, type LiveExchangeId };

export function isLiveExchange(id: string): id is LiveExchangeId {
  return (LIVE_EXCHANGES as readonly string[]).includes(id);
}

/**
 * What the ccxt adapter needs to know of an exchange beyond the shared
 * {@link ExchangeCapabilities}: extra request parameters and limits, as data.
 */
export interface CcxtCapabilities extends ExchangeCapabilities {
  /** Extra params that make a stop-loss trigger on the mark price. */
  markTriggerStopParams: Record<string, string>;
  /** Extra params that make a take-profit trigger on the mark price. */
  markTriggerTakeProfitParams: Record<string, string>;
  /** Params that select conditional orders when listing, fetching or cancelling them. */
  conditionalQueryParams: Record<string, unknown>;
  /** Request weight the exchange allows per window, for the rate-limit gauge. */
  requestWeightLimit: number;
  requestWeightWindowMs: number;
  /** Response header carrying the weight used in the current window, when the exchange reports it. */
  usedWeightHeader: string | null;
  /** The exchange publishes maintenance-margin tiers (fetchLeverageTiers). */
  leverageTiers: boolean;
  /** ccxt options that keep the instance to USDT-margined perpetuals. */
  ccxtOptions: Record<string, unknown>;
  /**
   * How ccxt reaches the exchange's demo trading (which practice accounts exist is
   * `PRACTICE_ACCOUNTS`): `enableDemoTrading` (Binance, Bybit), or sandbox mode where the
   * exchange's sandbox is its demo trading (OKX's simulated-trading header). The testnet is always sandbox mode.
   */
  demoTradingSwitch: 'enableDemoTrading' | 'sandboxMode';
  /**
   * How an order is found by its client id: ccxt `fetchOrder` with `{clientOrderId}` (Binance, OKX), or, where
   * that is refused (Bybit's unified account), the open and the closed order lists filtered by the exchange's
   * own client-id parameter.
   */
  clientIdLookup: { via: 'fetchOrder' } | { via: 'orderLists'; param: string };
  /**
   * How a hedge-mode account is recognised: ccxt `fetchPositionMode` (Binance, OKX), or, where ccxt has none
   * (Bybit), a raw position field whose value marks one side of a two-sided book (Bybit's `positionIdx` 1 and 2)
   * or a one-way position (`positionIdx` 0). A Bybit account with no position shows neither, so it stays
   * unconfirmed and is asked again on the next start; Bybit itself refuses an entry sent without a side in
   * hedge mode, and a hedge-mode position that appears later is refused where positions are read.
   */
  hedgeModeCheck: { via: 'fetchPositionMode' } | { via: 'positionField'; field: string; hedgedValues: string[]; oneWayValues: string[] };
}

/** Binance refuses a request whose timestamp is older than its `recvWindow` when it arrives, or more than 1 s ahead of its clock. */
const BINANCE_RECV_WINDOW_MS = 10_000;
/** Bybit: the same rule, with its own `recv_window`. */
const BYBIT_RECV_WINDOW_MS = 5_000;
/** OKX refuses a request whose timestamp is more than 30 s from its clock (50102); it has no window to set. */
const OKX_TIMESTAMP_TOLERANCE_MS = 30_000;
const CLOCK_AHEAD_MS = 1_000;

export const DEFAULT_CAPABILITIES: CcxtCapabilities = {
  separateConditionalOrders: true,
  amendConditionalOrders: false,
  markPriceTriggers: true,
  maxClientOrderIdLength: 32,
  clientOrderIdStyle: 'dashed',
  liquidationFormula: 'binanceusdm',
  requestLifetimeMs: BINANCE_RECV_WINDOW_MS + CLOCK_AHEAD_MS,
  markTriggerStopParams: {},
  markTriggerTakeProfitParams: {},
  conditionalQueryParams: { trigger: true },
  requestWeightLimit: 1200,
  requestWeightWindowMs: 60_000,
  usedWeightHeader: null,
  leverageTiers: true,
  fundingHistoryLimit: 1000,
  ccxtOptions: {},
  demoTradingSwitch: 'enableDemoTrading',
  clientIdLookup: { via: 'fetchOrder' },
  hedgeModeCheck: { via: 'fetchPositionMode' },
};

/** Per-exchange overrides, deep-merged over {@link DEFAULT_CAPABILITIES}. */
export const CAPABILITY_OVERRIDES: Record<LiveExchangeId, DeepPartial<CcxtCapabilities>> = {
  binanceusdm: {
    maxClientOrderIdLength: 36,
    markTriggerStopParams: { workingType: 'MARK_PRICE' },
    markTriggerTakeProfitParams: { workingType: 'MARK_PRICE' },
    requestWeightLimit: 2400,
    usedWeightHeader: 'x-mbx-used-weight-1m',
    ccxtOptions: { fetchMarkets: { types: ['linear'] }, fetchMargins: false, recvWindow: BINANCE_RECV_WINDOW_MS },
  },
  bybit: {
    maxClientOrderIdLength: 36,
    liquidationFormula: 'bybit',
    markTriggerStopParams: { triggerBy: 'MarkPrice' },
    markTriggerTakeProfitParams: { triggerBy: 'MarkPrice' },
    requestWeightLimit: 600,
    requestWeightWindowMs: 5_000,
    requestLifetimeMs: BYBIT_RECV_WINDOW_MS + CLOCK_AHEAD_MS,
    fundingHistoryLimit: 100,
    ccxtOptions: { recvWindow: BYBIT_RECV_WINDOW_MS },
    clientIdLookup: { via: 'orderLists', param: 'orderLinkId' },
    hedgeModeCheck: { via: 'positionField', field: 'positionIdx', hedgedValues: ['1', '2'], oneWayValues: ['0'] },
  },
  okx: {
    maxClientOrderIdLength: 32,
    clientOrderIdStyle: 'alphanumeric',
    liquidationFormula: 'bybit',
    markTriggerStopParams: { slTriggerPxType: 'mark' },
    markTriggerTakeProfitParams: { tpTriggerPxType: 'mark' },
    conditionalQueryParams: { trigger: true, ordType: 'conditional' },
    requestWeightLimit: 60,
    requestWeightWindowMs: 2_000,
    leverageTiers: false,
    fundingHistoryLimit: 100,
    requestLifetimeMs: OKX_TIMESTAMP_TOLERANCE_MS + CLOCK_AHEAD_MS,
    demoTradingSwitch: 'sandboxMode',
  },
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends Record<string, unknown> ? DeepPartial<T[K]> : T[K] };

/** Plain objects merge key by key; anything else in `override` replaces the base value. */
export function deepMerge<T extends object>(base: T, override: DeepPartial<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function capabilitiesFor(exchange: LiveExchangeId): CcxtCapabilities {
  return deepMerge(DEFAULT_CAPABILITIES, CAPABILITY_OVERRIDES[exchange]);
}
