import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_FRAME_BYTES } from '../../../shared/contract';
import { WebSocketCockpitClient, type LinkState, type SocketLike } from './ws-client';

/** A socket the test drives by hand: open it, answer frames, drop it. */
class HandSocket implements SocketLike {
  readyState = 0;
  readonly sent: { id: number; command: string; input: unknown }[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({});
  }
  answer(id: number, result: unknown) {
    this.onmessage?.({ data: JSON.stringify({ kind: 'result', id, result }) });
  }
  push(event: string, payload: unknown) {
    this.onmessage?.({ data: JSON.stringify({ kind: 'event', event, payload }) });
  }
}

let sockets: HandSocket[];
let client: WebSocketCockpitClient;
const latest = () => sockets[sockets.length - 1]!;
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  client = new WebSocketCockpitClient({
    url: 'ws://127.0.0.1:1/ws?token=t',
    createSocket: (url) => {
      const socket = new HandSocket(url);
      sockets.push(socket);
      return socket;
    },
    initialBackoffMs: 100,
    maxBackoffMs: 800,
    connectWaitMs: 5_000,
  });
});

afterEach(() => {
  client.close();
  vi.useRealTimers();
});

describe('the WebSocket client', () => {
  it('holds commands until the link opens, then matches each answer to its command', async () => {
    const ping = client.invoke('engine.ping', { nonce: 'a' });
    const settings = client.invoke('settings.get', {});
    expect(latest().sent).toEqual([]);
    latest().open();
    const [first, second] = latest().sent;
    expect(first).toMatchObject({ command: 'engine.ping', input: { nonce: 'a' } });
    latest().answer(second!.id, { ok: true, value: 'settings' });
    latest().answer(first!.id, { ok: true, value: { nonce: 'a', serverTime: 1 } });
    expect(await settings).toEqual({ ok: true, value: 'settings' });
    expect(await ping).toEqual({ ok: true, value: { nonce: 'a', serverTime: 1 } });
  });

  it('gives every event to its subscribers until they unsubscribe', () => {
    latest().open();
    const seen: unknown[] = [];
    const off = client.on('ticker', (t) => seen.push(t));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    client.on('ticker', () => {
      throw new Error('broken widget');
    });
    latest().push('ticker', { last: 1 });
    latest().push('account', { equity: 1 });
    off();
    latest().push('ticker', { last: 2 });
    expect(seen).toEqual([{ last: 1 }]);
    error.mockRestore();
  });

  it('fails a command lost with the link as temporary, since it may or may not have run', async () => {
    latest().open();
    const flatten = client.invoke('flatten', {});
    latest().drop();
    expect(await flatten).toMatchObject({ ok: false, error: { type: 'temporary', message: expect.stringContaining('may or may not') } });
  });

  it('reconnects with a doubling, capped backoff and keeps the subscriptions', async () => {
    const states: LinkState[] = [];
    client.onStatus((s) => states.push(s));
    const seen: unknown[] = [];
    client.on('journal', (e) => seen.push(e));
    latest().open();
    for (const delay of [100, 200, 400, 800, 800]) {
      latest().drop();
      const before = sockets.length;
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(sockets.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(sockets.length).toBe(before + 1);
    }
    latest().open();
    latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    latest().open();
    latest().push('journal', { seq: 9 });
    expect(seen).toEqual([{ seq: 9 }]);
    expect(states).toEqual(['connected', 'reconnecting', 'connected', 'reconnecting', 'connected']);
  });

  it('sends a command made during a reconnect once the link is back', async () => {
    latest().open();
    latest().drop();
    const ping = client.invoke('engine.ping', { nonce: 'later' });
    await vi.advanceTimersByTimeAsync(100);
    latest().open();
    latest().answer(latest().sent[0]!.id, { ok: true, value: { nonce: 'later', serverTime: 2 } });
    expect(await ping).toMatchObject({ ok: true });
  });

  it('gives up on a command when the link stays down', async () => {
    const ping = client.invoke('engine.ping', { nonce: 'a' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await ping).toEqual({ ok: false, error: { type: 'temporary', message: 'Not connected to the engine' } });
    latest().open();
    expect(latest().sent).toEqual([]);
  });

  it('refuses a command bigger than a frame may be, without sending it', async () => {
    latest().open();
    const result = await client.invoke('journal.tail', { filter: 'x'.repeat(MAX_FRAME_BYTES) });
    expect(result).toMatchObject({ ok: false, error: { type: 'invalid-input' } });
    expect(latest().sent).toEqual([]);
  });

  it('stops for good when closed', async () => {
    latest().open();
    const pending = client.invoke('engine.ping', { nonce: 'a' });
    client.close();
    expect(await pending).toMatchObject({ ok: false, error: { type: 'temporary' } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets.length).toBe(1);
    expect(client.status).toBe('closed');
    expect(await client.invoke('engine.ping', { nonce: 'b' })).toMatchObject({ ok: false, error: { type: 'temporary' } });
  });

  it('ignores frames it cannot read', async () => {
    latest().open();
    latest().onmessage?.({ data: 'garbage' });
    latest().answer(999, { ok: true, value: null });
    await flush();
    expect(client.status).toBe('connected');
  });
});
