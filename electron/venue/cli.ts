import { loadScenarioFile } from '../engine/drills/scenario';
import { parseFaultSpec } from '../engine/sim/faults';
import { parseVenueArgs, USAGE } from './cli-args';
import { startVenue } from './server';
import { errorMessage } from '../../shared/error-message';

/** `npm run venue`: a Binance USDⓈ-M compatible exchange on loopback. The first stdout line names its URL and credentials. */
async function main(): Promise<void> {
  let command;
  try {
    command = parseVenueArgs(process.argv.slice(2));
    if (!command.help) parseFaultSpec(command.options.faults);
    if (!command.help && command.scenarioFile !== undefined) command.options.scenario = loadScenarioFile(command.scenarioFile);
  } catch (error) {
    process.stderr.write(`venue: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const venue = await startVenue(command.options);
  process.stdout.write(`venue: ${venue.url} key=${venue.apiKey} secret=${venue.apiSecret}\n`);
  process.stdout.write(
    `venue: markets ${venue.exchange.markets().map((m) => m.id).join(', ')}; speed ${command.options.speed === 'max' ? 'max' : `${command.options.speed ?? 1}x`}; faults ${command.options.faults ?? 'none'}; ${command.options.scenario ? `drill "${command.options.scenario.name}" at +${command.options.scenarioAtS ?? 0} s; ` : ''}streams ${venue.wsUrl}/market/ws, ${venue.wsUrl}/private/ws?listenKey=...\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`venue: ${signal}, closing\n`);
    venue.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`venue: closing failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`venue: ${errorMessage(error)}\n`);
  process.exit(1);
});
