/**
 * `npm run venue`'s server on a price feed the benchmark sets, in its own process, with a stopped clock.
 * Same flags as `npm run venue`; the same first stdout line. Then it reads commands on stdin:
 *
 *   price SYMBOL P     sets SYMBOL's last price (the mark follows: no premium)
 *   advance MS         moves the clock MS simulated milliseconds, pushing every mark update on the way,
 *                      and answers `advanced T` (T: epoch milliseconds just before the updates left)
 *
 * and announces on stdout every order the venue accepts: `order SYMBOL REDUCE_ONLY T` (T: epoch ms on arrival).
 */
import { createInterface } from 'node:readline';
import { defaultMarkets } from '../../electron/engine/sim/markets';
import { createSimExchange } from '../../electron/engine/sim/sim-exchange';
import { parseVenueArgs } from '../../electron/venue/cli-args';
import { startVenue } from '../../electron/venue/server';

const epochMs = () => performance.timeOrigin + performance.now();
const command = parseVenueArgs(process.argv.slice(2));
if (command.help) throw new Error('controlled-venue takes the flags of npm run venue');
const prices: Record<string, number> = { 'BTC/USDT:USDT': 60_000, 'ETH/USDT:USDT': 3_000, 'SOL/USDT:USDT': 150, 'XRP/USDT:USDT': 0.6 };
const exchange = createSimExchange({
  markets: defaultMarkets(),
  feed: { next: (symbol) => ({ price: prices[symbol]!, volume: 1_000 }) },
  startTime: Date.UTC(2025, 0, 1),
  startBalance: command.options.startBalance ?? 10_000_000,
  seed: 3,
  warmupBars: 30,
  premium: () => 0,
});
const placeOrder = exchange.placeOrder.bind(exchange);
exchange.placeOrder = (request) => {
  process.stdout.write(`order ${request.symbol} ${request.reduceOnly === true || request.closePosition === true} ${epochMs()}\n`);
  return placeOrder(request);
};
const venue = await startVenue({ ...command.options, speed: 0, exchange });
process.stdout.write(`venue: ${venue.url} key=${venue.apiKey} secret=${venue.apiSecret}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  const [verb, a, b] = line.trim().split(/\s+/);
  if (verb === 'price') prices[a!] = Number(b);
  else if (verb === 'advance') {
    const left = epochMs();
    venue.advanceTo(exchange.now() + Number(a));
    process.stdout.write(`advanced ${left}\n`);
  }
});
const stop = () => void venue.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
