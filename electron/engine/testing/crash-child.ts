/**
 * A live-mode engine in its own process, for the crash-and-restart test: it
 * trades against the venue until the test kills it with SIGKILL. Each line it
 * prints tells the parent how far it got.
 *
 * Usage: node --import tsx crash-child.ts <venueUrl> <apiKey> <apiSecret> <dataDir> [entry|move|close]
 *
 * - `entry` (default): opens three protected longs, one after the other.
 * - `move`: opens two, then moves each one's stop-loss closer.
 * - `close`: opens two, then closes the first.
 */
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { MemoryCredentialVault } from '../credential-vault';
import { Engine } from '../engine';
import { createCcxtAdapter } from '../exchange/ccxt-adapter';
import { MemorySettingsStore } from '../settings-store';

const [url, apiKey, apiSecret, dataDir, scenario = 'entry'] = process.argv.slice(2);
if (!url || !apiKey || !apiSecret || !dataDir || !['entry', 'move', 'close'].includes(scenario)) {
  throw new Error('usage: crash-child.ts <venueUrl> <apiKey> <apiSecret> <dataDir> [entry|move|close]');
}

const adapter = createCcxtAdapter({ exchange: 'binanceusdm', credentials: { apiKey, apiSecret }, exchangeUrl: url, enableRateLimit: false });
const settings = { ...structuredClone(DEFAULT_SETTINGS), strategies: DEFAULT_SETTINGS.strategies.map((s) => ({ ...s, enabled: false })) };
const engine = new Engine({ dataDir, adapter, settingsStore: new MemorySettingsStore(settings), vault: new MemoryCredentialVault(), trading: { reconcileIntervalMs: 0 } });
engine.bus.subscribe((event, payload) => {
  if (event !== 'journal') return;
  const entry = payload as { type: string; data: { purpose?: string; request?: { clientOrderId: string } } };
  if (entry.type === 'order.request') process.stdout.write(`request ${entry.data.purpose} ${entry.data.request?.clientOrderId}\n`);
});

await engine.start();
process.stdout.write('ready\n');
const symbols = scenario === 'entry' ? ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT'] : ['BTC/USDT:USDT', 'ETH/USDT:USDT'];
for (const symbol of symbols) {
  const price = (await adapter.fetchTicker(symbol)).last;
  const proposal = await engine.handlers['proposal.create']({ symbol, side: 'long', stop: price * 0.98, takeProfit: price * 1.04, leverage: 5 });
  await engine.handlers['proposal.approve']({ id: proposal.id });
  process.stdout.write(`approved ${proposal.id}\n`);
}
if (scenario === 'move') {
  for (const symbol of symbols) {
    const price = (await adapter.fetchTicker(symbol)).last;
    await engine.handlers['order.move']({ symbol, purpose: 'stop', price: price * 0.99 });
    process.stdout.write(`moved ${symbol}\n`);
  }
}
if (scenario === 'close') {
  await engine.handlers['position.close']({ symbol: symbols[0]! });
  process.stdout.write(`closed ${symbols[0]}\n`);
}
process.stdout.write('done\n');
