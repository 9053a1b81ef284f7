/**
 * `npm run venue`'s server, on the ten markets the flatten benchmark needs
 * (the venue's own default set has four, and one-way mode allows one position
 * per market). Same flags as `npm run venue`; the same first stdout line.
 */
import { createTenMarketExchange } from '../../electron/engine/flatten/flatten-fixtures';
import { parseVenueArgs } from '../../electron/venue/cli-args';
import { startVenue } from '../../electron/venue/server';

const command = parseVenueArgs(process.argv.slice(2));
if (command.help) throw new Error('ten-market-venue takes the flags of npm run venue');
const { options } = command;
const venue = await startVenue({
  ...options,
  exchange: createTenMarketExchange({ ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.startBalance !== undefined ? { startBalance: options.startBalance } : {}) }),
});
process.stdout.write(`venue: ${venue.url} key=${venue.apiKey} secret=${venue.apiSecret}\n`);
const stop = () => void venue.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
