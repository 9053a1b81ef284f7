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
  location: Pick<Location, 'protocol' | 'host' | 'hash'>;
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
  const token = tokenFromHash(host.location.hash);
  if (!token) return unreachable('This page has no engine token: open the full URL that `npm run headless` printed (it ends in #token=…).');
  return new WebSocketCockpitClient({ ...clientOptions, url: engineSocketUrl(host.location, token) });
}
