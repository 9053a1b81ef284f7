import { pointExchangeAt, type CcxtInstanceUrls } from '../engine/exchange/exchange-url';

/** The parts of a ccxt Binance instance (REST or ccxt.pro) that pointing it at the venue touches. */
export interface CcxtBinanceLike extends CcxtInstanceUrls {
  options: Record<string, unknown>;
}

/**
 * Points an unmodified ccxt `binanceusdm` (or `ccxt.pro.binanceusdm`) at the venue
 * the way `--exchange-url` does ({@link pointExchangeAt}: every REST and WebSocket URL,
 * the HTTP agent ccxt.pro needs for `ws://`, Binance's USDⓈ-M error table), and keeps
 * `loadMarkets` on loopback: linear markets only, no sapi calls.
 *
 * @example pointCcxtAtVenue(new ccxt.binanceusdm({ apiKey, secret }), venue.url)
 */
export function pointCcxtAtVenue<T extends CcxtBinanceLike>(exchange: T, baseUrl: string): T {
  pointExchangeAt(exchange, baseUrl);
  exchange.options['fetchCurrencies'] = false;
  exchange.options['fetchMargins'] = false;
  exchange.options['fetchMarkets'] = { types: ['linear'] };
  exchange.options['warnOnFetchOpenOrdersWithoutSymbol'] = false;
  return exchange;
}
