import { describe, expect, it } from 'vitest';
import { checkStreamName, streamTarget } from './stream-paths';

const isKey = (key: string) => key === 'KEY123';
const markets = new Set(['BTCUSDT', 'ETHUSDT']);

describe('stream URLs', () => {
  it("reads ccxt.pro's market, public and private paths", () => {
    expect(streamTarget('/market/ws/0', isKey)).toEqual({ kind: 'market', streams: [], combined: false });
    expect(streamTarget('/public/ws', isKey)).toEqual({ kind: 'market', streams: [], combined: false });
    expect(streamTarget('/private/ws?listenKey=KEY123', isKey)).toEqual({ kind: 'user', listenKey: 'KEY123' });
  });

  it("reads Binance's raw, combined and legacy user-data paths", () => {
    expect(streamTarget('/ws/btcusdt@kline_1m', isKey)).toEqual({ kind: 'market', streams: ['btcusdt@kline_1m'], combined: false });
    expect(streamTarget('/stream?streams=btcusdt@markPrice/ethusdt@ticker', isKey)).toEqual({ kind: 'market', streams: ['btcusdt@markprice', 'ethusdt@ticker'], combined: true });
    expect(streamTarget('/ws/KEY123', isKey)).toEqual({ kind: 'user', listenKey: 'KEY123' });
  });

  it('refuses an unknown listenKey and an unknown path', () => {
    expect(streamTarget('/private/ws?listenKey=old', isKey)).toMatchObject({ kind: 'invalid', code: -1125 });
    expect(streamTarget('/private/ws', isKey)).toMatchObject({ kind: 'invalid' });
    expect(streamTarget('/fapi/v1/ping', isKey)).toMatchObject({ kind: 'invalid', code: -1100 });
  });
});

describe('stream names', () => {
  it.each(['btcusdt@kline_1m', 'ethusdt@kline_4h', 'btcusdt@markprice', 'btcusdt@markprice@1s', '!markprice@arr', '!markprice@arr@1s', 'ethusdt@ticker'])('serves %s', (name) => {
    expect(checkStreamName(name, markets)).toBeNull();
  });

  it.each(['btcusdt@depth', 'btcusdt@kline_1d', 'dogeusdt@kline_1m', 'btcusdt@markprice@3s', 'btcusdt'])('refuses %s, saying why', (name) => {
    expect(checkStreamName(name, markets)).toMatch(/stream/);
  });
});
