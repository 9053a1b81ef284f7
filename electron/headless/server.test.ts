import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_FRAME_BYTES, MAX_STRING, type ServerFrame } from '../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { WebSocketCockpitClient, type SocketLike } from '../../renderer/src/transport/ws-client';
import { MemoryCredentialVault } from '../engine/credential-vault';
import { Engine } from '../engine/engine';
import type { ExchangeAdapter } from '../engine/exchange/adapter';
import { MemorySettingsStore } from '../engine/settings-store';
import { startHeadlessServer, type HeadlessServer } from './server';

/** The engine, reached through no exchange: the transport never needs one. */
function offlineEngine(dataDir: string): Engine {
  const adapter = { id: 'paper', mode: 'paper', close: async () => {} } as unknown as ExchangeAdapter;
  return new Engine({ dataDir, adapter, settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault() });
}

/** A raw WebSocket client that reads frames in order. */
class RawClient {
  private readonly frames: ServerFrame[] = [];
  private readonly waiters: (() => void)[] = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  static open(url: string, origin: string | undefined): Promise<RawClient> {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RawClient(socket)));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }

  /** The next frame that matches. */
  async next(match: (frame: ServerFrame) => boolean): Promise<ServerFrame> {
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  async call(id: number, command: string, input: unknown) {
    this.socket.send(JSON.stringify({ id, command, input }));
    return this.next((f) => f.kind === 'result' && f.id === id);
  }

  async sendRaw(data: string | Buffer, binary = false) {
    this.socket.send(data, { binary });
    return this.next((f) => f.kind === 'result' && f.id === null);
  }
}

let dataDir: string;
let staticDir: string;
let engine: Engine;
let server: HeadlessServer;
let origin: string;
const clients: { close(): void }[] = [];

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-ws-'));
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>cockpit</title>');
  engine = offlineEngine(dataDir);
  server = await startHeadlessServer({ handlers: engine.handlers, bus: engine.bus, staticDir, port: 0 });
  origin = `http://127.0.0.1:${server.port}`;
});

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server.close();
  await engine.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(staticDir, { recursive: true, force: true });
});

async function connect(): Promise<RawClient> {
  const client = await RawClient.open(server.wsUrl, origin);
  clients.push(client.socket);
  return client;
}

describe('the headless server', () => {
  it('listens on loopback with a long random token in the URL fragment', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
    expect(server.url).toContain(server.token);
  });

  it('serves the built renderer with the CSP as a header', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain('<title>cockpit</title>');
    expect((await fetch(`${origin}/missing.js`)).status).toBe(404);
    expect((await fetch(`${origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('answers a command and pushes engine events', async () => {
    const client = await connect();
    expect(await client.call(1, 'engine.ping', { nonce: 'hello' })).toEqual({
      kind: 'result',
      id: 1,
      result: { ok: true, value: { nonce: 'hello', serverTime: expect.any(Number) } },
    });
    const settings = (await client.call(2, 'settings.get', {})) as { result: { value: unknown } };
    await client.call(3, 'settings.update', { settings: settings.result.value });
    expect(await client.next((f) => f.kind === 'event' && f.event === 'journal')).toMatchObject({ payload: { type: 'settings.update' } });
    expect(await client.next((f) => f.kind === 'event' && f.event === 'settings')).toMatchObject({ payload: settings.result.value });
  });
});

describe('bad frames on the WebSocket', () => {
  it.each([
    ['a wrong type', 'engine.ping', { nonce: 42 }, 'invalid-input'],
    ['a missing field', 'engine.ping', {}, 'invalid-input'],
    ['an unknown command', 'engine.selfDestruct', {}, 'unknown-command'],
    ['an oversized string', 'engine.ping', { nonce: 'x'.repeat(MAX_STRING + 1) }, 'invalid-input'],
  ])('answers %s with a typed error and keeps the connection and engine', async (_case, command, input, type) => {
    const client = await connect();
    const answer = await client.call(7, command, input);
    expect(answer).toMatchObject({ kind: 'result', id: 7, result: { ok: false, error: { type, message: expect.any(String) } } });
    expect(await client.call(8, 'engine.ping', { nonce: 'alive' })).toMatchObject({ result: { ok: true, value: { nonce: 'alive' } } });
  });

  it.each([
    ['a non-JSON frame', '{ not json', false, /not valid JSON/],
    ['a frame that is not { id, command, input }', JSON.stringify({ hello: 'world' }), false, /id, command, input/],
    ['a binary frame', Buffer.from([1, 2, 3]), true, /JSON text/],
    ['a frame over the size limit', JSON.stringify({ id: 1, command: 'engine.ping', input: { nonce: 'x'.repeat(MAX_FRAME_BYTES) } }), false, /exceeds/],
  ])('answers %s with a typed error and keeps the connection and engine', async (_case, data, binary, message) => {
    const client = await connect();
    expect(await client.sendRaw(data, binary)).toMatchObject({ kind: 'result', id: null, result: { ok: false, error: { type: 'invalid-input', message } } });
    expect(await client.call(9, 'engine.ping', { nonce: 'alive' })).toMatchObject({ result: { ok: true, value: { nonce: 'alive' } } });
  });

  it('echoes the id of a malformed frame when it can read one', async () => {
    const client = await connect();
    client.socket.send(JSON.stringify({ id: 41, command: 'engine.ping' , extra: 1 }));
    expect(await client.next((f) => f.kind === 'result' && f.id === 41)).toMatchObject({ result: { ok: false, error: { type: 'invalid-input' } } });
  });
});

describe('refused connections', () => {
  it('refuses a connection without the token', async () => {
    await expect(RawClient.open(server.wsUrl.replace(/\?token=.*/, ''), origin)).rejects.toThrow('HTTP 401');
  });

  it('refuses a connection with a wrong token', async () => {
    await expect(RawClient.open(server.wsUrl.replace(/token=.*/, `token=${'0'.repeat(64)}`), origin)).rejects.toThrow('HTTP 401');
  });

  it('refuses a connection from a foreign Origin', async () => {
    await expect(RawClient.open(server.wsUrl, 'https://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('refuses a connection that sends no Origin', async () => {
    await expect(RawClient.open(server.wsUrl, undefined)).rejects.toThrow('HTTP 403');
  });

  it('keeps serving the rightful page after refusals', async () => {
    await expect(RawClient.open(server.wsUrl, 'https://evil.example')).rejects.toThrow();
    const client = await connect();
    expect(await client.call(1, 'engine.ping', { nonce: 'ok' })).toMatchObject({ result: { ok: true } });
    expect(server.clients()).toBe(1);
  });
});

describe('the renderer WebSocket client against the real server', () => {
  it('round-trips a command and an event through the contract', async () => {
    const api = new WebSocketCockpitClient({ url: server.wsUrl, createSocket: (url) => new WebSocket(url, { origin }) as unknown as SocketLike });
    clients.push(api);
    const journal: { type: string }[] = [];
    api.on('journal', (entry) => journal.push(entry));
    expect(await api.invoke('engine.ping', { nonce: 'from the page' })).toMatchObject({ ok: true, value: { nonce: 'from the page' } });
    expect(api.status).toBe('connected');
    expect(await api.invoke('credentials.clear', {})).toMatchObject({ ok: true, value: { stored: false } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(journal.map((e) => e.type)).toContain('credentials.clear');
  });
});

describe('shutting down', () => {
  it('closes every client and stops listening', async () => {
    const client = await connect();
    const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
    await server.close();
    expect(await closed).toBe(1001);
    await expect(fetch(`${origin}/`)).rejects.toThrow();
    server = { close: async () => {} } as HeadlessServer;
  });
});
