import { TIMEFRAMES } from '../../shared/domain';

/** What a WebSocket connection to the venue is for, read from its URL. */
export type StreamTarget =
  | { kind: 'user'; listenKey: string }
  | { kind: 'market'; streams: string[]; combined: boolean }
  | { kind: 'invalid'; code: number; reason: string };

const PATH = /^\/(?:(public|market|private)\/)?(ws|stream)(?:\/(.*))?$/;

/**
 * Reads a stream URL the way Binance USDⓈ-M routes it:
 * `/private/ws?listenKey=K` and `/ws/<listenKey>` for the user-data stream;
 * `/market/ws`, `/public/ws` and `/ws` (optionally `/ws/<stream>` or with ccxt's
 * numbered suffix, `/market/ws/0`) for raw streams; `/stream?streams=a/b` for combined ones.
 */
export function streamTarget(rawUrl: string, isListenKey: (key: string) => boolean): StreamTarget {
  const url = new URL(rawUrl, 'ws://venue');
  const match = PATH.exec(url.pathname);
  if (!match) return { kind: 'invalid', code: -1100, reason: `No stream endpoint at ${url.pathname}` };
  const [, category, endpoint, rest = ''] = match;
  const listenKey = url.searchParams.get('listenKey') ?? (isListenKey(rest) ? rest : null);
  if (category === 'private' || listenKey !== null) {
    if (!listenKey || !isListenKey(listenKey)) return { kind: 'invalid', code: -1125, reason: 'This listenKey does not exist.' };
    return { kind: 'user', listenKey };
  }
  const combined = endpoint === 'stream';
  const named = combined ? (url.searchParams.get('streams') ?? '') : /^\d*$/.test(rest) ? '' : rest;
  const streams = named.split('/').filter((s) => s !== '').map((s) => s.toLowerCase());
  return { kind: 'market', streams, combined };
}

/** A market stream the venue serves, or why not. */
export function checkStreamName(name: string, marketIds: ReadonlySet<string>): string | null {
  if (name === '!markprice@arr' || name === '!markprice@arr@1s') return null;
  const [symbol = '', channel = '', ...more] = name.split('@');
  if (!marketIds.has(symbol.toUpperCase())) return `unknown symbol in stream '${name}'`;
  const tail = more.join('@');
  if (channel === 'markprice' && (tail === '' || tail === '1s')) return null;
  if (channel === 'ticker' && tail === '') return null;
  if (channel.startsWith('kline_') && tail === '' && (TIMEFRAMES as readonly string[]).includes(channel.slice('kline_'.length))) return null;
  return `unsupported stream '${name}': the venue serves <symbol>@kline_<${TIMEFRAMES.join('|')}>, <symbol>@markPrice[@1s], !markPrice@arr[@1s] and <symbol>@ticker`;
}
