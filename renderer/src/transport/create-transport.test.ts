import { describe, expect, it } from 'vitest';
import type { CockpitApi } from '../../../shared/contract';
import { createTransport, engineSocketUrl, tokenFromHash } from './create-transport';
import { WebSocketCockpitClient, type SocketLike } from './ws-client';

function idleSocket(): SocketLike {
  return { readyState: 0, send() {}, close() {}, onopen: null, onclose: null, onerror: null, onmessage: null };
}

describe('choosing the transport', () => {
  const electronApi: CockpitApi = { invoke: async () => ({ ok: true, value: null as never }), on: () => () => {} };

  it("uses Electron's window.cockpit when the preload provided it", () => {
    expect(createTransport({ cockpit: electronApi, location: { protocol: 'file:', host: '', hash: '' } })).toBe(electronApi);
  });

  it("otherwise connects to the page's own origin with the token from the fragment", () => {
    expect(tokenFromHash('#token=abc123')).toBe('abc123');
    expect(tokenFromHash('#other=1&token=x%2By')).toBe('x+y');
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
    expect(engineSocketUrl({ protocol: 'http:', host: '127.0.0.1:5180' }, 'x+y')).toBe('ws://127.0.0.1:5180/ws?token=x%2By');
    expect(engineSocketUrl({ protocol: 'https:', host: 'box:443' }, 't')).toBe('wss://box:443/ws?token=t');
    const made: string[] = [];
    const api = createTransport(
      { location: { protocol: 'http:', host: '127.0.0.1:5180', hash: '#token=abc' } },
      { createSocket: (url) => (made.push(url), idleSocket()) },
    );
    expect(api).toBeInstanceOf(WebSocketCockpitClient);
    expect(made).toEqual(['ws://127.0.0.1:5180/ws?token=abc']);
    (api as WebSocketCockpitClient).close();
  });

  it('explains on every command that the page has no token', async () => {
    const api = createTransport({ location: { protocol: 'http:', host: '127.0.0.1:5180', hash: '' } });
    expect(await api.invoke('engine.ping', { nonce: 'a' })).toMatchObject({ ok: false, error: { type: 'unauthorized', message: expect.stringContaining('#token=') } });
  });
});
