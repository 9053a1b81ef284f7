import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine, createExchangeAdapter } from './bootstrap';
import { MemoryCredentialVault } from './credential-vault';
import type { ExchangeAdapter } from './exchange/adapter';
import type { PaperAdapter } from './exchange/paper-adapter';
import { MemorySettingsStore } from './settings-store';
import type { PublicMarketData } from './sim/feeds/live';
import type { Proposal } from '../../shared/domain';

const opened: ExchangeAdapter[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((adapter) => adapter.close()));
  dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

describe('choosing the venue', () => {
  it('trades on paper unless an exchange is named', async () => {
    const adapter = await createExchangeAdapter({ vault: new MemoryCredentialVault(), paper: { seed: 3, startBalance: 2_500 } });
    opened.push(adapter);
    expect(adapter.mode).toBe('paper');
    expect((await adapter.fetchBalance()).walletBalance).toBe(2_500);
  });

  it('goes live on the named exchange with the keys from the vault', async () => {
    const vault = new MemoryCredentialVault({ exchange: 'binanceusdm', apiKey: 'key-12345678', apiSecret: 'secret-12345678', testnet: false, demo: false });
    const adapter = await createExchangeAdapter({ vault, live: { exchange: 'binanceusdm', exchangeUrl: 'http://127.0.0.1:9' } });
    opened.push(adapter);
    expect(adapter.mode).toBe('live');
    expect(adapter.id).toBe('binanceusdm');
    expect((adapter as unknown as { exchange: { apiKey: string } }).exchange.apiKey).toBe('key-12345678');
  });

  it('uses stored keys only with the exchange and practice account they were saved for', async () => {
    const vault = new MemoryCredentialVault({ exchange: 'bybit', apiKey: 'key-12345678', apiSecret: 'secret-12345678', testnet: false, demo: false });
    await expect(createExchangeAdapter({ vault, live: { exchange: 'binanceusdm', exchangeUrl: 'http://127.0.0.1:9' } })).rejects.toThrow(
      'The stored keys were saved for bybit (real account), not binanceusdm (real account)',
    );
    await expect(createExchangeAdapter({ vault, live: { exchange: 'bybit', testnet: true } })).rejects.toThrow(/saved for bybit \(real account\), not bybit \(testnet\)/);
    const matching = await createExchangeAdapter({ vault, live: { exchange: 'bybit', exchangeUrl: 'http://127.0.0.1:9' } });
    opened.push(matching);
    expect(matching.id).toBe('bybit');
  });
});

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const FILE_START = Date.UTC(2023, 0, 1);

/** A CSV of 600 flat one-minute bars whose price climbs 10 a minute: 1,000, 1,010, 1,020, … */
function climbingCsv(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-replay-'));
  dirs.push(dir);
  const rows = Array.from({ length: 600 }, (_, i) => {
    const price = 1_000 + 10 * i;
    return `${new Date(FILE_START + i * 60_000).toISOString()},${price},${price},${price},${price},5`;
  });
  const file = path.join(dir, 'btc.csv');
  fs.writeFileSync(file, ['date,open,high,low,close,volume', ...rows].join('\n'));
  return file;
}

describe('choosing the paper price feed', () => {
  it('replays a file: its opening bars become the warm-up history, and the price follows it from there', async () => {
    const adapter = (await createExchangeAdapter({
      vault: new MemoryCredentialVault(),
      now: () => NOW,
      paper: { feed: { kind: 'replay', files: { [BTC]: climbingCsv() } } },
    })) as PaperAdapter;
    opened.push(adapter);
    const history = await adapter.fetchOHLCV(BTC, '1m', NOW - 3 * 60_000, 3);
    expect(history.map((c) => [c.open, c.close])).toEqual([
      [5_970, 5_980],
      [5_980, 5_990],
      [5_990, 6_000],
    ]);
    expect((await adapter.fetchTicker(BTC)).last).toBe(6_000);
    adapter.sim.advanceTo(NOW + 10 * 60_000);
    expect((await adapter.fetchTicker(BTC)).last).toBe(6_100);
    const eth = (await adapter.fetchTicker(ETH)).last;
    expect(eth).toBeGreaterThan(2_000);
    expect(eth).toBeLessThan(6_000);
  });

  it('refuses a replay file that does not exist, naming the symbol and the path', async () => {
    const missing = path.join(os.tmpdir(), 'cockpit-nowhere', 'btc.csv');
    await expect(createExchangeAdapter({ vault: new MemoryCredentialVault(), paper: { feed: { kind: 'replay', files: { [BTC]: missing } } } })).rejects.toThrow(
      `Replay feed for ${BTC}: Cannot read OHLCV file ${missing}: ENOENT`,
    );
  });

  it('runs paper trading on live public prices, read with no keys from the named exchange', async () => {
    const reached: string[] = [];
    const exchange: PublicMarketData = {
      id: 'bybit',
      fetchTicker: async (symbol) => ({ last: symbol === BTC ? 61_234.5 : 1, baseVolume: 0 }),
      fetchOHLCV: async () => [],
    };
    const adapter = await createExchangeAdapter({
      vault: new MemoryCredentialVault(),
      paper: { feed: { kind: 'live', exchange: 'bybit' } },
      publicMarketData: (id) => {
        reached.push(id);
        return exchange;
      },
    });
    opened.push(adapter);
    expect(reached).toEqual(['bybit']);
    expect(adapter.mode).toBe('paper');
    expect((await adapter.fetchTicker(BTC)).last).toBe(61_234.5);
  });

  it('stops polling live prices when the paper exchange closes', async () => {
    vi.useFakeTimers();
    try {
      let polls = 0;
      const exchange: PublicMarketData = {
        fetchTicker: async () => {
          polls++;
          return { last: 100 };
        },
        fetchOHLCV: async () => [],
      };
      const adapter = await createExchangeAdapter({ vault: new MemoryCredentialVault(), paper: { feed: { kind: 'live' } }, publicMarketData: () => exchange });
      const atStart = polls;
      await vi.advanceTimersByTimeAsync(10_000);
      expect(polls).toBeGreaterThan(atStart);
      await adapter.close();
      const atClose = polls;
      await vi.advanceTimersByTimeAsync(10_000);
      expect(polls).toBe(atClose);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails with the cause when the live feed cannot reach its exchange, instead of waiting for ever', async () => {
    const offline: PublicMarketData = {
      id: 'binanceusdm',
      fetchTicker: async () => {
        throw new Error('binanceusdm GET https://fapi.binance.com/fapi/v1/exchangeInfo getaddrinfo EAI_AGAIN fapi.binance.com');
      },
      fetchOHLCV: async () => [],
    };
    await expect(createExchangeAdapter({ vault: new MemoryCredentialVault(), paper: { feed: { kind: 'live' } }, publicMarketData: () => offline })).rejects.toThrow(
      /^Cannot start the live price feed on binanceusdm: .*EAI_AGAIN fapi\.binance\.com\. Paper mode on live prices needs internet access/,
    );
    const silent: PublicMarketData = { fetchTicker: () => new Promise(() => {}), fetchOHLCV: () => new Promise(() => {}) };
    await expect(
      createExchangeAdapter({ vault: new MemoryCredentialVault(), paper: { feed: { kind: 'live' } }, publicMarketData: () => silent, liveFeedTimeoutMs: 50 }),
    ).rejects.toThrow('Cannot start the live price feed on binanceusdm: no answer within 0.05 s.');
  });

  it('names a live feed exchange that ccxt does not know', async () => {
    await expect(createExchangeAdapter({ vault: new MemoryCredentialVault(), paper: { feed: { kind: 'live', exchange: 'nosuchexchange' } } })).rejects.toThrow(
      'Cannot start the live price feed on nosuchexchange: ccxt has no exchange "nosuchexchange"',
    );
  });

  it('refuses to speed up live prices', async () => {
    await expect(createExchangeAdapter({ vault: new MemoryCredentialVault(), paper: { speed: 60, feed: { kind: 'live' } } })).rejects.toThrow(
      'The live price feed runs in real time: drop the speed (got 60)',
    );
  });
});

describe('the engine both hosts run', () => {
  it('starts in paper mode by default and journals it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-boot-'));
    dirs.push(dataDir);
    const engine = await createEngine({ dataDir, settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault() });
    await engine.start();
    expect(await engine.handlers['engine.ping']({ nonce: 'n' })).toMatchObject({ nonce: 'n' });
    await engine.stop();
    const journal = fs.readFileSync(path.join(dataDir, 'journal/journal.jsonl'), 'utf8');
    expect(journal).toContain('"type":"engine.start","data":{"mode":"paper"');
  });

  it('starts a paper engine on a replayed file', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-boot-'));
    dirs.push(dataDir);
    const engine = await createEngine({
      dataDir,
      settingsStore: new MemorySettingsStore(),
      vault: new MemoryCredentialVault(),
      paper: { feed: { kind: 'replay', files: { [BTC]: climbingCsv() } } },
    });
    await engine.start();
    expect(await engine.handlers['engine.ping']({ nonce: 'r' })).toMatchObject({ nonce: 'r' });
    await engine.stop();
  });
});

describe('a paper start with no seed', () => {
  /** A start at 05:49:26 UTC (fixed, so the seed chosen is too); the clock runs 10x, so three simulated minutes take 18 s. */
  const START = Date.UTC(2026, 11, 6, 5, 49, 26);

  it('picks the seed whose opening gives the strategy a setup: its BTC proposal, approvable, comes within three minutes, on the bar foretold', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-boot-'));
    dirs.push(dataDir);
    const engine = await createEngine({ dataDir, settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault(), paper: { startTime: START, speed: 10 } });
    const proposals: Proposal[] = [];
    engine.bus.subscribe((event, payload) => {
      if (event === 'proposals') proposals.push(...(payload as Proposal[]).filter((p) => !proposals.some((q) => q.id === p.id)));
    });
    await engine.start();
    try {
      const chosen = engine.paperSeed!;
      expect(chosen).toMatchObject({ chosen: true, opening: { strategy: 'trend-pullback', symbol: 'BTC/USDT:USDT' } });
      expect(chosen.seed).toBeGreaterThan(1);
      expect(chosen.opening!.afterStartMs).toBeGreaterThanOrEqual(60_000);
      expect(chosen.opening!.afterStartMs).toBeLessThanOrEqual(180_000);

      await vi.waitFor(() => expect(proposals.length).toBeGreaterThan(0), { timeout: 40_000, interval: 100 });
      const [first] = proposals;
      expect(first).toMatchObject({ symbol: 'BTC/USDT:USDT', source: 'trend-pullback', status: 'pending', auto: false, verdict: { ok: true } });
      const candles = await engine.handlers['market.candles']({ symbol: 'BTC/USDT:USDT', timeframe: '1m', limit: 30 });
      const signalBar = candles.find((c) => c.time + 60_000 === chosen.opening!.signalAt);
      expect(signalBar, 'the bar the search foretold').toBeDefined();
      expect(first!.entry, 'the proposal enters at the close of the foretold bar').toBe(signalBar!.close);
    } finally {
      await engine.stop();
    }
    const start = fs
      .readFileSync(path.join(dataDir, 'journal/journal.jsonl'), 'utf8')
      .split('\n')
      .map((line) => (line ? (JSON.parse(line) as { type: string; data: unknown }) : null))
      .find((entry) => entry?.type === 'engine.start');
    expect(start?.data, 'the journal keeps the seed, the start and why').toMatchObject({ mode: 'paper', paper: { ...engine.paperSeed!, startTime: START } });
  }, 60_000);

  it('keeps a seed that was given, and picks none for replayed prices', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-boot-'));
    dirs.push(dataDir);
    const given = await createEngine({ dataDir, settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault(), paper: { seed: 3, startTime: START } });
    expect(given.paperSeed).toEqual({ seed: 3, startTime: START, chosen: false, opening: null });
    await given.stop();
    const replayed = await createEngine({
      dataDir,
      settingsStore: new MemorySettingsStore(),
      vault: new MemoryCredentialVault(),
      paper: { feed: { kind: 'replay', files: { [BTC]: climbingCsv() } } },
    });
    expect(replayed.paperSeed).toMatchObject({ seed: 1, opening: null });
    await replayed.stop();
  });
});
