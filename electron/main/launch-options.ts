import type { LiveVenue } from '../engine/bootstrap';

/**
 * How `npm start` picks its venue: paper by default; live when
 * `COCKPIT_EXCHANGE` names a ccxt exchange, with optional
 * `COCKPIT_EXCHANGE_URL` and `COCKPIT_TESTNET=1`.
 */
export function liveVenueFromEnv(env: Record<string, string | undefined>): LiveVenue | null {
  const exchange = env.COCKPIT_EXCHANGE?.trim();
  if (!exchange) return null;
  const exchangeUrl = env.COCKPIT_EXCHANGE_URL?.trim();
  if (exchangeUrl && !URL.canParse(exchangeUrl)) throw new Error(`COCKPIT_EXCHANGE_URL is not a URL: ${exchangeUrl}`);
  const testnet = env.COCKPIT_TESTNET?.trim();
  if (testnet && testnet !== '1' && testnet !== '0' && testnet !== 'true' && testnet !== 'false') {
    throw new Error(`COCKPIT_TESTNET must be 1/0/true/false, got ${testnet}`);
  }
  return {
    exchange,
    ...(exchangeUrl ? { exchangeUrl } : {}),
    ...(testnet === '1' || testnet === 'true' ? { testnet: true } : {}),
  };
}
