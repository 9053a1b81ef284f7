import { Agent } from 'node:http';
import { pointUrlsAt, type UrlTree } from '../engine/exchange/exchange-url';

/** The parts of a ccxt Binance instance (REST or ccxt.pro) that pointing it at the venue touches. */
export interface CcxtBinanceLike {
  urls: Record<string, unknown>;
  options: Record<string, unknown>;
  exceptions: Record<string, unknown>;
  httpAgent?: unknown;
}

type ExceptionTable = Record<string, unknown>;

/**
 * Points an unmodified ccxt `binanceusdm` (or `ccxt.pro.binanceusdm`) at the venue
 * and keeps it on loopback:
 * - every REST and WebSocket URL in `urls.api` goes to `baseUrl` (paths kept), and ccxt.pro gets
 *   the plain HTTP agent it insists on for `ws://` URLs (what `loadHttpProxyAgent()` would set);
 * - `loadMarkets` asks for linear markets only and never calls sapi (`fetchCurrencies: false`);
 * - ccxt picks Binance's USDⓈ-M error table by the `https://fapi.binance.com` host name, which
 *   a loopback URL cannot match, so that table is merged into the general one: a -2022 or
 *   -4164 then raises `InvalidOrder`, a -2019 `InsufficientFunds`, exactly as against Binance.
 *
 * @example pointCcxtAtVenue(new ccxt.binanceusdm({ apiKey, secret }), venue.url)
 */
export function pointCcxtAtVenue<T extends CcxtBinanceLike>(exchange: T, baseUrl: string): T {
  exchange.urls['api'] = pointUrlsAt(exchange.urls['api'] as UrlTree, baseUrl);
  for (const key of ['test', 'demo'] as const) {
    if (exchange.urls[key]) exchange.urls[key] = pointUrlsAt(exchange.urls[key] as UrlTree, baseUrl);
  }
  exchange.httpAgent ??= new Agent();
  exchange.options['fetchCurrencies'] = false;
  exchange.options['fetchMargins'] = false;
  exchange.options['fetchMarkets'] = { types: ['linear'] };
  exchange.options['warnOnFetchOpenOrdersWithoutSymbol'] = false;
  const linear = (exchange.exceptions['linear'] ?? {}) as { exact?: ExceptionTable; broad?: ExceptionTable };
  exchange.exceptions['exact'] = { ...(exchange.exceptions['exact'] as ExceptionTable), ...linear.exact };
  exchange.exceptions['broad'] = { ...(exchange.exceptions['broad'] as ExceptionTable), ...linear.broad };
  return exchange;
}
