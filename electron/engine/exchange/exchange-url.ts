import { Agent } from 'node:http';
import { isLoopbackHost } from '../../../shared/loopback';
/** A nested map of URLs, as ccxt keeps them in `exchange.urls.api`. */
export type UrlTree = string | { [key: string]: UrlTree };

const ORIGIN = /^(https?|wss?):\/\/[^/]+/i;

/**
 * Points every REST and WebSocket URL of an exchange at one base URL (used with
 * `npm run venue`): the scheme and host of each entry are replaced, its path kept.
 * REST entries take the base's scheme; WebSocket entries take `ws`/`wss` to match.
 *
 * @example pointUrlsAt({ fapiPrivate: 'https://fapi.binance.com/fapi/v1' }, 'http://127.0.0.1:9000')
 *   // { fapiPrivate: 'http://127.0.0.1:9000/fapi/v1' }
 */
export function pointUrlsAt<T extends UrlTree>(tree: T, baseUrl: string): T {
  const base = parseBase(baseUrl);
  return rewrite(tree, base) as T;
}

function parseBase(baseUrl: string): { secure: boolean; host: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`--exchange-url must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--exchange-url must use http or https, got "${url.protocol}"`);
  if (url.pathname !== '/' || url.search || url.hash) throw new Error(`--exchange-url must be a bare origin such as http://127.0.0.1:9000, got "${baseUrl}"`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new Error(`--exchange-url with http:// is accepted only for a loopback address (127.0.0.1, localhost, [::1]): keys would cross the network unencrypted; use https:// for ${url.host}`);
  }
  return { secure: url.protocol === 'https:', host: url.host };
}

function rewrite(tree: UrlTree, base: { secure: boolean; host: string }): UrlTree {
  if (typeof tree === 'string') {
    const match = ORIGIN.exec(tree);
    if (!match) return tree;
    const isWs = match[1]!.toLowerCase().startsWith('ws');
    const scheme = isWs ? (base.secure ? 'wss' : 'ws') : base.secure ? 'https' : 'http';
    return `${scheme}://${base.host}${tree.slice(match[0].length)}`;
  }
  return Object.fromEntries(Object.entries(tree).map(([key, value]) => [key, rewrite(value, base)]));
}

/** The parts of a ccxt (or ccxt.pro) instance that pointing it at one base URL touches. */
export interface CcxtInstanceUrls {
  urls: Record<string, unknown>;
  exceptions: Record<string, unknown>;
  httpAgent?: unknown;
}

/**
 * Named hook for `--exchange-url`: every REST and WebSocket URL goes to one
 * origin, ccxt.pro gets the plain HTTP agent it needs for `ws://`, and the
 * error table ccxt would pick by the exchange's own host name (Binance's
 * USDⓈ-M codes) is kept, so a -2022 still raises InvalidOrder.
 */
export function pointExchangeAt(exchange: CcxtInstanceUrls, baseUrl: string): void {
  for (const key of ['api', 'test', 'demo'] as const) {
    if (exchange.urls[key]) exchange.urls[key] = pointUrlsAt(exchange.urls[key] as UrlTree, baseUrl);
  }
  if (baseUrl.startsWith('http:')) exchange.httpAgent ??= new Agent();
  const exceptions = exchange.exceptions;
  const linear = exceptions['linear'] as { exact?: object; broad?: object } | undefined;
  if (linear) {
    exceptions['exact'] = { ...(exceptions['exact'] as object), ...linear.exact };
    exceptions['broad'] = { ...(exceptions['broad'] as object), ...linear.broad };
  }
}
