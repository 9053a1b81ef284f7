import type { MarketInfo, MarketTier } from '../../../shared/domain';
import { withCumulativeAmounts } from '../../../shared/risk/tiers';
import recorded from './data/binance-usdm-markets.json' with { type: 'json' };

interface RecordedFilter {
  filterType: string;
  [key: string]: string | undefined;
}

interface RecordedMarket {
  symbol: string;
  id: string;
  base: string;
  quote: string;
  settle: string;
  taker: number;
  maker: number;
  filters: RecordedFilter[];
}

/** One leverage bracket: where it starts (notional), its maintenance margin rate, and Binance's initial leverage. */
interface Bracket {
  floor: number;
  rate: number;
  maxLeverage: number;
}

/**
 * The recorded fixture gives each bracket's floor and maintenance margin rate only.
 * Binance's initial leverage per bracket follows its rate on every USDⓈ-M table.
 */
const LEVERAGE_BY_RATE: Record<string, number> = {
  '0.004': 125,
  '0.005': 100,
  '0.0065': 75,
  '0.01': 50,
  '0.02': 25,
  '0.025': 20,
  '0.05': 10,
  '0.1': 5,
  '0.125': 4,
  '0.15': 3,
  '0.25': 2,
  '0.5': 1,
};

/** Binance's eight-bracket altcoin table gives 2x at 15% and 1x at 25% (there is no 50% bracket). */
const ALT_LEVERAGE_BY_RATE: Record<string, number> = { ...LEVERAGE_BY_RATE, '0.15': 2, '0.25': 1 };

/** The recording gives no cap for the top bracket: it ends at twice its floor, far beyond any market's max quantity. */
const TOP_BRACKET_CAP_MULTIPLE = 2;

function bracketsFrom(pairs: readonly (readonly string[])[], leverageByRate: Record<string, number>): Bracket[] {
  return pairs.map(([floor, rate]) => {
    const maxLeverage = leverageByRate[String(Number(rate))];
    if (maxLeverage === undefined) throw new Error(`No Binance leverage is known for maintenance margin rate ${rate}`);
    return { floor: Number(floor), rate: Number(rate), maxLeverage };
  });
}

function tiersFrom(brackets: readonly Bracket[]): MarketTier[] {
  const last = brackets[brackets.length - 1]!;
  const caps = brackets.map((_, i) => brackets[i + 1]?.floor ?? Math.max(last.floor * TOP_BRACKET_CAP_MULTIPLE, 1));
  const withAmounts = withCumulativeAmounts(
    brackets.map((b, i) => ({ minNotional: b.floor, maxNotional: caps[i]!, maintenanceMarginRate: b.rate })),
  );
  return withAmounts.map((tier, i) => ({ ...tier, maintenanceAmount: Number(tier.maintenanceAmount.toFixed(8)), maxLeverage: brackets[i]!.maxLeverage }));
}

function filter(market: RecordedMarket, type: string, key: string): number {
  const value = market.filters.find((f) => f.filterType === type)?.[key];
  if (value === undefined) throw new Error(`Recorded market ${market.symbol} has no ${type}.${key}`);
  return Number(value);
}

function marketFrom(market: RecordedMarket, tiers: MarketTier[]): MarketInfo {
  return {
    symbol: market.symbol,
    id: market.id,
    base: market.base,
    quote: market.quote,
    settle: market.settle,
    tickSize: filter(market, 'PRICE_FILTER', 'tickSize'),
    amountStep: filter(market, 'LOT_SIZE', 'stepSize'),
    minAmount: filter(market, 'LOT_SIZE', 'minQty'),
    maxAmount: filter(market, 'LOT_SIZE', 'maxQty'),
    maxMarketAmount: filter(market, 'MARKET_LOT_SIZE', 'maxQty'),
    minNotional: filter(market, 'MIN_NOTIONAL', 'notional'),
    takerFee: market.taker,
    makerFee: market.maker,
    maxLeverage: Math.max(...tiers.map((t) => t.maxLeverage)),
    tiers,
  };
}

function recordedMarket(symbol: string): RecordedMarket {
  const market = (recorded.markets as RecordedMarket[]).find((m) => m.symbol === symbol);
  if (!market) throw new Error(`No recorded market ${symbol}`);
  return market;
}

function recordedBrackets(symbol: string): readonly (readonly string[])[] {
  const brackets = (recorded.leverageBrackets as Record<string, string[][]>)[symbol];
  if (!brackets) throw new Error(`No recorded leverage brackets for ${symbol}`);
  return brackets;
}

/**
 * SOL/USDT:USDT is not in the recorded fixture. These are Binance's values as best known:
 * tick 0.01, step 1, min qty 1, min notional 5, taker 0.04% / maker 0.02%, and ETH's
 * bracket structure. The LOT_SIZE and MARKET_LOT_SIZE maxima are Binance's usual altcoin values.
 */
const SOL: RecordedMarket = {
  symbol: 'SOL/USDT:USDT',
  id: 'SOLUSDT',
  base: 'SOL',
  quote: 'USDT',
  settle: 'USDT',
  taker: 0.0004,
  maker: 0.0002,
  filters: [
    { filterType: 'PRICE_FILTER', tickSize: '0.01', minPrice: '0.42', maxPrice: '6857' },
    { filterType: 'LOT_SIZE', stepSize: '1', minQty: '1', maxQty: '1000000' },
    { filterType: 'MARKET_LOT_SIZE', stepSize: '1', minQty: '1', maxQty: '5000' },
    { filterType: 'MIN_NOTIONAL', notional: '5' },
  ],
};

/**
 * The default markets of the simulator: Binance USDⓈ-M specs and leverage brackets.
 * BTC, ETH and XRP filters and BTC/ETH brackets are recorded Binance data (see data/binance-usdm-markets.json).
 * XRP's brackets are absent from the recording: it uses the recorded altcoin table (ADA's), which is
 * Binance's standard eight-bracket structure. SOL is defined above.
 */
export function defaultMarkets(): MarketInfo[] {
  return [
    marketFrom(recordedMarket('BTC/USDT:USDT'), tiersFrom(bracketsFrom(recordedBrackets('BTC/USDT:USDT'), LEVERAGE_BY_RATE))),
    marketFrom(recordedMarket('ETH/USDT:USDT'), tiersFrom(bracketsFrom(recordedBrackets('ETH/USDT:USDT'), LEVERAGE_BY_RATE))),
    marketFrom(SOL, tiersFrom(bracketsFrom(recordedBrackets('ETH/USDT:USDT'), LEVERAGE_BY_RATE))),
    marketFrom(recordedMarket('XRP/USDT:USDT'), tiersFrom(bracketsFrom(recordedBrackets('ADA/USDT:USDT'), ALT_LEVERAGE_BY_RATE))),
  ];
}

/**
 * BTC/USDC:USDC, a USDC-margined perpetual the cockpit does not list (it trades USDT-margined ones),
 * for positions opened by hand beside the cockpit's. Not in the recorded fixture: Binance's BTCUSDC
 * values as best known (tick 0.1, step 0.001, min qty 0.001, market max 120, min notional 5), and
 * BTCUSDT's recorded brackets.
 */
export function usdcPerpetual(): MarketInfo {
  const btc = recordedMarket('BTC/USDT:USDT');
  const market: RecordedMarket = { ...btc, symbol: 'BTC/USDC:USDC', id: 'BTCUSDC', quote: 'USDC', settle: 'USDC', maker: 0, taker: 0.0004 };
  return marketFrom(market, tiersFrom(bracketsFrom(recordedBrackets('BTC/USDT:USDT'), LEVERAGE_BY_RATE)));
}

/** The highest notional a position may reach at this leverage: the cap of the last tier that allows it. */
export function maxNotionalAtLeverage(market: MarketInfo, leverage: number): number {
  const allowed = market.tiers.filter((t) => t.maxLeverage >= leverage);
  return allowed.length ? allowed[allowed.length - 1]!.maxNotional : 0;
}
