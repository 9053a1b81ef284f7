import fs from 'node:fs';
import path from 'node:path';
import { commandInputs } from '../../shared/contract';
import { createEngine } from '../engine/bootstrap';
import { MemoryCredentialVault, type Credentials } from '../engine/credential-vault';
import type { Engine } from '../engine/engine';
import { describePaperSeed } from '../engine/opening-seed';
import { JsonFileSettingsStore } from '../engine/settings-store';
import { DEFAULT_LIVE_FEED_EXCHANGE, type FeedChoice } from '../engine/sim/feeds/feed-choice';
import { HEADLESS_USAGE, parseHeadlessArgs, remoteHostWarning, UsageError, type HeadlessArgs } from './cli-args';
import { startHeadlessServer, type HeadlessServer } from './server';
import { ensureRendererBuilt } from './renderer-build';
import { errorMessage } from '../../shared/error-message';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RENDERER_DIR = path.join(ROOT, 'out', 'renderer');

/** Live keys come from the environment only; they stay in memory and are never written. */
function credentialsFromEnv(args: HeadlessArgs): Credentials | null {
  const apiKey = process.env.COCKPIT_API_KEY;
  const apiSecret = process.env.COCKPIT_API_SECRET;
  if (!args.live || !apiKey || !apiSecret) return null;
  const parsed = commandInputs['credentials.set'].safeParse({
    exchange: args.live.exchange,
    apiKey,
    apiSecret,
    ...(process.env.COCKPIT_API_PASSWORD ? { password: process.env.COCKPIT_API_PASSWORD } : {}),
    testnet: args.live.testnet ?? false,
    demo: args.live.demo ?? false,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`the live credentials are not usable: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const { acceptPlaintext: _unused, ...credentials } = parsed.data;
  return credentials;
}

function pricesOf(feed: FeedChoice | undefined): string {
  if (feed?.kind === 'live') return `live prices from ${feed.exchange ?? DEFAULT_LIVE_FEED_EXCHANGE}`;
  if (feed?.kind === 'replay') return `replayed prices for ${Object.keys(feed.files).join(', ')} (synthetic for the rest)`;
  return 'synthetic prices';
}

async function start(args: HeadlessArgs): Promise<{ engine: Engine; server: HeadlessServer }> {
  await ensureRendererBuilt(ROOT, (line) => process.stderr.write(`cockpit: ${line}\n`));
  const dataDir = path.resolve(args.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const credentials = credentialsFromEnv(args);
  if (args.live && !credentials) process.stderr.write('cockpit: no COCKPIT_API_KEY / COCKPIT_API_SECRET in the environment; the exchange will refuse account calls\n');
  const engine = await createEngine({
    dataDir,
    settingsStore: new JsonFileSettingsStore(path.join(dataDir, 'settings.json')),
    vault: new MemoryCredentialVault(credentials),
    paper: args.paper,
    ...(args.live ? { live: args.live } : {}),
  });
  await engine.start();
  try {
    const server = await startHeadlessServer({ handlers: engine.handlers, bus: engine.bus, staticDir: RENDERER_DIR, host: args.host, port: args.port });
    return { engine, server };
  } catch (error) {
    await engine.stop();
    throw error;
  }
}

/**
 * Stops cleanly on SIGINT/SIGTERM, also when the signal arrives while the
 * cockpit is still starting: handlers are in place before the URL is printed.
 */
function stopOnSignals(started: Promise<{ engine: Engine; server: HeadlessServer } | null>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`cockpit: ${signal}, shutting down\n`);
    try {
      const running = await started;
      await running?.server.close();
      await running?.engine.stop();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`cockpit: shutdown failed: ${errorMessage(error)}\n`);
      process.exit(1);
    }
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

async function main(): Promise<void> {
  let args: HeadlessArgs;
  try {
    args = parseHeadlessArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`cockpit: ${error.message}\n${HEADLESS_USAGE}\n`);
    process.exit(2);
  }
  const warning = remoteHostWarning(args.host);
  if (warning) process.stderr.write(`cockpit: ${warning}\n`);
  const started = start(args);
  stopOnSignals(started.catch(() => null));
  try {
    const { engine, server } = await started;
    process.stdout.write(`cockpit: ${server.url}\n`);
    const paperSeed = engine.paperSeed ? ` (${describePaperSeed(engine.paperSeed)})` : '';
    process.stderr.write(`cockpit: ${args.live ? `live on ${args.live.exchange}` : `paper mode on ${pricesOf(args.paper.feed)}${paperSeed}`}, data in ${path.resolve(args.dataDir)}; Ctrl+C stops\n`);
  } catch (error) {
    process.stderr.write(`cockpit: ${errorMessage(error)}\n`);
    process.exit(1);
  }
}

await main();
