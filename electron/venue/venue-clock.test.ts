import { describe, expect, it } from 'vitest';
import { startVenue } from './server';
import { restClient, SCENARIO_START, scriptedExchange } from './venue-fixtures';

const DAY = 24 * 3_600_000;

describe('the venue clock at --speed max', () => {
  it('runs one simulated day as fast as possible, serving requests on the way, then stops', async () => {
    const venue = await startVenue({ speed: 'max', exchange: scriptedExchange(() => 1, { tickMs: 60_000 }) });
    try {
      const client = restClient(venue);
      expect((await client.fetchTicker('BTC/USDT:USDT')).last).toBe(60_000);
      // A loaded machine only makes the day take longer: the wait ends on the clock reaching it, well inside the test's timeout.
      const deadline = Date.now() + 25_000;
      while (venue.exchange.now() < SCENARIO_START + DAY && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(venue.exchange.now()).toBe(SCENARIO_START + DAY);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(venue.exchange.now()).toBe(SCENARIO_START + DAY);
    } finally {
      await venue.close();
    }
  });
});
