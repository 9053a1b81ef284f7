import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from './capabilities';
import { createCcxtExchange } from './ccxt-adapter';

describe('request lifetime', () => {
  it.each([
    ['binanceusdm', 10_000],
    ['bybit', 5_000],
  ] as const)("%s: the ccxt instance signs with the recvWindow the lifetime counts on, plus 1 s for a clock ahead", (exchange, recvWindow) => {
    const instance = createCcxtExchange({ exchange, credentials: null });
    expect(instance.options['recvWindow']).toBe(recvWindow);
    expect(capabilitiesFor(exchange).requestLifetimeMs).toBe(recvWindow + 1_000);
  });

  it("OKX has no window to set: its 30 s timestamp tolerance, plus 1 s", () => {
    expect(capabilitiesFor('okx').requestLifetimeMs).toBe(31_000);
  });
});
