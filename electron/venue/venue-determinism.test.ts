import { afterAll, describe, expect, it } from 'vitest';
import { startVenue, type Venue } from './server';
import { restClient } from './venue-fixtures';

const START = Date.UTC(2024, 2, 1);
const TEN_MINUTES = 10 * 60_000;

describe('the venue under a seed', () => {
  const venues: Venue[] = [];
  afterAll(async () => {
    await Promise.all(venues.map((v) => v.close()));
  });

  /** Ten simulated minutes of BTC candles and the fill of one market order, as ccxt reads them from a fresh venue. */
  async function session(seed: number) {
    const venue = await startVenue({ speed: 0, seed, startTime: START });
    venues.push(venue);
    const client = restClient(venue);
    venue.advanceTo(START + TEN_MINUTES);
    const order = await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'same-order' });
    const candles = await client.fetchOHLCV('BTC/USDT:USDT', '1m', START, 10);
    return { candles, fill: [order.average, order.filled, order.timestamp] };
  }

  it('replays the same prices and fills for the same seed, and others for another seed', async () => {
    const first = await session(11);
    const again = await session(11);
    const other = await session(12);
    expect(first.candles).toHaveLength(10);
    expect(again).toEqual(first);
    expect(other.candles).not.toEqual(first.candles);
  });
});
