import type { CredentialStatus } from '../../shared/domain';
import type { LiveVenue } from '../engine/bootstrap';
import type { ModeChoice } from '../engine/mode-host';
import { parseReplayFiles, type FeedChoice } from '../engine/sim/feeds/feed-choice';
import { errorMessage } from '../../shared/error-message';
import { isLoopbackUrl } from '../../shared/loopback';

function flagFromEnv(env: Record<string, string | undefined>, name: string): boolean {
  const value = env[name]?.trim();
  if (value && value !== '1' && value !== '0' && value !== 'true' && value !== 'false') throw new Error(`${name} must be 1/0/true/false, got ${value}`);
  return value === '1' || value === 'true';
}

/**
 * How `npm start` picks its venue: paper by default; live when
 * `COCKPIT_EXCHANGE` names a ccxt exchange, with optional
 * `COCKPIT_EXCHANGE_URL` and `COCKPIT_TESTNET=1` or `COCKPIT_DEMO=1`.
 */
export function liveVenueFromEnv(env: Record<string, string | undefined>): LiveVenue | null {
  const exchange = env.COCKPIT_EXCHANGE?.trim();
  if (!exchange) return null;
  const exchangeUrl = env.COCKPIT_EXCHANGE_URL?.trim();
  if (exchangeUrl && !URL.canParse(exchangeUrl)) throw new Error(`COCKPIT_EXCHANGE_URL is not a URL: ${exchangeUrl}`);
  const testnet = flagFromEnv(env, 'COCKPIT_TESTNET');
  const demo = flagFromEnv(env, 'COCKPIT_DEMO');
  return {
    exchange,
    ...(exchangeUrl ? { exchangeUrl } : {}),
    ...(testnet ? { testnet: true } : {}),
    ...(demo ? { demo: true } : {}),
  };
}

/**
 * The venue of this start: `COCKPIT_EXCHANGE` wins, as before; otherwise live
 * only when the mode chosen in the app is live AND keys for that same exchange,
 * practice account (testnet, demo) and account (the key's fingerprint) are still
 * stored (replaced or removed keys, another account's included, mean paper until
 * the user confirms live again).
 */
export function liveVenueAtLaunch(env: Record<string, string | undefined>, chosen: ModeChoice, keys: CredentialStatus): LiveVenue | null {
  const fromEnv = liveVenueFromEnv(env);
  if (fromEnv) return fromEnv;
  if (chosen.mode !== 'live' || !keys.stored) return null;
  if (keys.exchange !== chosen.exchange || keys.testnet !== chosen.testnet || keys.demo !== chosen.demo) return null;
  if (chosen.fingerprint !== keys.fingerprint) return null;
  return { exchange: chosen.exchange, ...(chosen.testnet ? { testnet: true } : {}), ...(chosen.demo ? { demo: true } : {}) };
}

/** Why the app cannot switch the mode: `COCKPIT_EXCHANGE` pins it to live. Null when it can. */
export function modePinnedByEnv(env: Record<string, string | undefined>): string | null {
  const exchange = env.COCKPIT_EXCHANGE?.trim();
  return exchange ? `COCKPIT_EXCHANGE=${exchange} chooses live trading for every start; unset it to switch the mode from the app.` : null;
}

/**
 * Where paper mode's prices come from under `npm start`: synthetic by default;
 * `COCKPIT_FEED=live` (optionally `COCKPIT_FEED_EXCHANGE=bybit`) for live public prices;
 * `COCKPIT_REPLAY="BTC/USDT:USDT=/path/a.csv;ETH/USDT:USDT=/path/b.json"` to replay files.
 * Null when none is set. Refuses these with `COCKPIT_EXCHANGE`, which trades live.
 */
export function paperFeedFromEnv(env: Record<string, string | undefined>): FeedChoice | null {
  const feed = env.COCKPIT_FEED?.trim() || undefined;
  const feedExchange = env.COCKPIT_FEED_EXCHANGE?.trim() || undefined;
  const replay = env.COCKPIT_REPLAY?.trim() || undefined;
  if (!feed && !feedExchange && !replay) return null;
  if (env.COCKPIT_EXCHANGE?.trim()) {
    throw new Error('COCKPIT_FEED, COCKPIT_FEED_EXCHANGE and COCKPIT_REPLAY choose paper prices; unset them or COCKPIT_EXCHANGE (live trading)');
  }
  if (feed && feed !== 'synthetic' && feed !== 'live') throw new Error(`COCKPIT_FEED must be synthetic or live, got ${feed} (replay files with COCKPIT_REPLAY)`);
  if (feedExchange && feed !== 'live') throw new Error('COCKPIT_FEED_EXCHANGE needs COCKPIT_FEED=live');
  if (replay) {
    if (feed) throw new Error(`COCKPIT_REPLAY chooses the replay feed; unset COCKPIT_FEED=${feed}`);
    try {
      return { kind: 'replay', files: parseReplayFiles(replay.split(';').filter((entry) => entry.trim() !== '')) };
    } catch (error) {
      throw new Error(`COCKPIT_REPLAY: ${errorMessage(error)}`);
    }
  }
  if (feed === 'live') return { kind: 'live', ...(feedExchange ? { exchange: feedExchange } : {}) };
  return { kind: 'synthetic' };
}

/**
 * The development server the window may load instead of the built page: `ELECTRON_RENDERER_URL`
 * (set by `electron-vite dev`), trusted only in an unpackaged app with the explicit development
 * flag `COCKPIT_DEV=1` and only on a loopback http(s) URL. Otherwise undefined: `npm start` and a
 * packaged app always load the built page. A flagged URL that is not loopback is refused.
 */
export function devServerUrl(env: Record<string, string | undefined>, packaged: boolean): string | undefined {
  const url = env.ELECTRON_RENDERER_URL?.trim();
  if (packaged || !flagFromEnv(env, 'COCKPIT_DEV') || !url) return undefined;
  if (!/^https?:/i.test(url) || !isLoopbackUrl(url)) throw new Error(`ELECTRON_RENDERER_URL must be a loopback http(s) URL (127.0.0.1, localhost, [::1]) to be trusted, got ${url}`);
  return url;
}
