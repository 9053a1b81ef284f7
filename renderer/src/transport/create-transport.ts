import type { CockpitApi } from '../../../shared/contract';
import { fail } from '../../../shared/result';
import { WebSocketCockpitClient, type WsClientOptions } from './ws-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    cockpit?: CockpitApi;
  }
}

/** The parts of `window` the choice depends on. */
export interface TransportHost {
  cockpit?: CockpitApi | undefined;
  location: Pick<Location, 'protocol' | 'host' | 'hash' | 'pathname' | 'search'>;
  /** Takes the token out of the address bar once it is read. */
  history?: Pick<History, 'replaceState'>;
  /** Keeps the token for a reload of this tab only (never in the address bar or the history). */
  sessionStorage?: Pick<Storage, 'getItem' | 'setItem'>;
}

const TOKEN_KEY = 'cockpit.token';

/**
 * The engine token of this page: read once from the `#token=…` fragment, then removed from
 * the address bar (`history.replaceState`), so it is not left on screen, in the history or in a
 * copied URL; kept in this tab's session storage so a reload still connects.
 */
export function takeToken(host: TransportHost): string | null {
  const fromHash = tokenFromHash(host.location.hash);
  if (fromHash) {
    host.sessionStorage?.setItem(TOKEN_KEY, fromHash);
    host.history?.replaceState(null, '', `${host.location.pathname}${host.location.search}`);
    return fromHash;
  }
  return host.sessionStorage?.getItem(TOKEN_KEY) ?? null;
}

/** The token `npm run headless` printed, from the page URL's `#token=…` fragment. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.trim() !== '' ? token : null;
}

/** The engine's WebSocket on the page's own origin. */
export function engineSocketUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}

/** A stand-in that explains, on every command, why there is no engine to talk to. */
function unreachable(message: string): CockpitApi {
  return {
    invoke: async () => fail('unauthorized', message),
    on: () => () => {},
  };
}

/**
 * Picks how this page reaches the engine: the Electron preload's
 * `window.cockpit` when present, else the WebSocket of the page's own origin
 * with the token from the URL fragment.
 */
export function createTransport(
  host: TransportHost = window,
  clientOptions: Omit<WsClientOptions, 'url'> = {},
): CockpitApi {
  if (host.cockpit) return host.cockpit;
  const token = takeToken(host);
  if (!token) return unreachable('This page has no engine token: open the full URL that `npm run headless` printed (it ends in #token=…).');
  return new WebSocketCockpitClient({ ...clientOptions, url: engineSocketUrl(host.location, token) });
}
