import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPaperFeed, parseReplayFiles, type OpenedFeed } from './feed-choice';
import type { PublicMarketData } from './live';
import { createSyntheticFeed } from './synthetic';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const SYMBOLS = [BTC, ETH];
const T = Date.UTC(2024, 0, 1);

const dirs: string[] = [];
const opened: OpenedFeed[] = [];
afterEach(() => {
  opened.splice(0).forEach((o) => o.close());
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function csvFile(rows: [number, number][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cockpit-feed-'));
  dirs.push(dir);
  const file = join(dir, 'bars.csv');
  writeFileSync(file, ['time,open,high,low,close,volume', ...rows.map(([time, price]) => `${time},${price},${price},${price},${price},10`)].join('\n'));
  return file;
}

const track = (feed: OpenedFeed) => {
  opened.push(feed);
  return feed;
};

describe('replay entries written SYMBOL=PATH', () => {
  it('reads each symbol and its path, keeping an = inside the path', () => {
    expect(parseReplayFiles(['BTC/USDT:USDT=/data/btc.csv', ' ETH/USDT:USDT = ./a=b.json '])).toEqual({ [BTC]: '/data/btc.csv', [ETH]: './a=b.json' });
    expect(parseReplayFiles([])).toEqual({});
  });

  it.each([
    ['BTC/USDT:USDT', /must be SYMBOL=PATH/],
    ['=/data/btc.csv', /must be SYMBOL=PATH/],
    ['BTC/USDT:USDT=', /must be SYMBOL=PATH/],
    ['btc=/data/btc.csv', /"btc" is not a unified symbol/],
  ])('refuses %j', (entry, error) => {
    expect(() => parseReplayFiles([entry])).toThrow(error);
  });

  it('refuses a symbol given twice', () => {
    expect(() => parseReplayFiles([`${BTC}=/a.csv`, `${BTC}=/b.csv`])).toThrow(/BTC\/USDT:USDT already has a file \(\/a.csv\)/);
  });
});

describe('opening the chosen paper feed', () => {
  it('gives the synthetic feed of the seed by default', async () => {
    const { feed } = track(await openPaperFeed({ choice: { kind: 'synthetic' }, symbols: SYMBOLS, seed: 4 }));
    expect(feed.next(BTC, T)).toEqual(createSyntheticFeed({ seed: 4 }).next(BTC, T));
  });

  it("replays a file's prices for its symbol and keeps synthetic prices for the others", async () => {
    const file = csvFile([
      [T, 500],
      [T + 60_000, 520],
      [T + 120_000, 540],
    ]);
    const { feed } = track(await openPaperFeed({ choice: { kind: 'replay', files: { [BTC]: file } }, symbols: SYMBOLS, seed: 4 }));
    const start = T + 3_600_000;
    expect(feed.next(BTC, start).price).toBe(500);
    expect(feed.next(BTC, start + 60_000).price).toBe(520);
    expect(feed.next(ETH, start)).toEqual(createSyntheticFeed({ seed: 4 }).next(ETH, start));
  });

  it('refuses a replay of a missing file, of a symbol that is not a market, and of nothing', async () => {
    const missing = join(tmpdir(), 'cockpit-no-such-dir', 'btc.csv');
    await expect(openPaperFeed({ choice: { kind: 'replay', files: { [BTC]: missing } }, symbols: SYMBOLS, seed: 1 })).rejects.toThrow(
      `Replay feed for ${BTC}: Cannot read OHLCV file ${missing}: ENOENT`,
    );
    const file = csvFile([
      [T, 1],
      [T + 60_000, 2],
    ]);
    await expect(openPaperFeed({ choice: { kind: 'replay', files: { 'DOGE/USDT:USDT': file } }, symbols: SYMBOLS, seed: 1 })).rejects.toThrow(
      'Replay feed: DOGE/USDT:USDT is not a paper market; the markets are BTC/USDT:USDT, ETH/USDT:USDT',
    );
    await expect(openPaperFeed({ choice: { kind: 'replay', files: {} }, symbols: SYMBOLS, seed: 1 })).rejects.toThrow(/no files given/);
  });

  it('starts a live feed on the named exchange and serves its prices', async () => {
    const asked: string[] = [];
    const exchange: PublicMarketData = {
      id: 'bybit',
      fetchTicker: async (symbol) => ({ last: symbol === BTC ? 42_000 : 2_000, baseVolume: 0 }),
      fetchOHLCV: async () => [],
    };
    const opened = track(
      await openPaperFeed({
        choice: { kind: 'live', exchange: 'bybit' },
        symbols: SYMBOLS,
        seed: 1,
        publicMarketData: (id) => {
          asked.push(id);
          return exchange;
        },
      }),
    );
    expect(asked).toEqual(['bybit']);
    expect(opened.feed.next(BTC, T).price).toBe(42_000);
    expect(opened.feed.next(ETH, T).price).toBe(2_000);
  });

  it('names the cause when the live exchange cannot be reached', async () => {
    const unreachable: PublicMarketData = {
      fetchTicker: async () => {
        throw new Error('binanceusdm GET https://fapi.binance.com/fapi/v1/exchangeInfo getaddrinfo ENOTFOUND fapi.binance.com');
      },
      fetchOHLCV: async () => [],
    };
    await expect(openPaperFeed({ choice: { kind: 'live' }, symbols: SYMBOLS, seed: 1, publicMarketData: () => unreachable })).rejects.toThrow(
      /^Cannot start the live price feed on binanceusdm: .*cannot load BTC\/USDT:USDT .*getaddrinfo ENOTFOUND fapi\.binance\.com\. Paper mode on live prices needs internet access/,
    );
    await expect(
      openPaperFeed({
        choice: { kind: 'live', exchange: 'nope' },
        symbols: SYMBOLS,
        seed: 1,
        publicMarketData: () => {
          throw new Error('ccxt has no exchange "nope"');
        },
      }),
    ).rejects.toThrow('Cannot start the live price feed on nope: ccxt has no exchange "nope"');
  });

  it('gives up on a live exchange that never answers, and stops the feed if it answers later', async () => {
    vi.useFakeTimers();
    try {
      let answer: (value: { last: number }) => void = () => {};
      let polls = 0;
      const slow: PublicMarketData = {
        fetchTicker: () => {
          polls++;
          return new Promise((resolve) => {
            answer = resolve;
          });
        },
        fetchOHLCV: async () => [],
      };
      const opening = openPaperFeed({ choice: { kind: 'live' }, symbols: [BTC], seed: 1, publicMarketData: () => slow, liveTimeoutMs: 5_000 });
      const refused = expect(opening).rejects.toThrow('Cannot start the live price feed on binanceusdm: no answer within 5 s.');
      await vi.advanceTimersByTimeAsync(5_000);
      await refused;
      answer({ last: 1 });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(polls).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('needs a way to reach an exchange for a live feed', async () => {
    await expect(openPaperFeed({ choice: { kind: 'live' }, symbols: SYMBOLS, seed: 1 })).rejects.toThrow(/publicMarketData/);
  });
});
