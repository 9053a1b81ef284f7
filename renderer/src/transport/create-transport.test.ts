import { describe, expect, it } from 'vitest';
import type { CockpitApi } from '../../../shared/contract';
import { createTransport, engineSocketUrl, takeToken, tokenFromHash } from './create-transport';
import { WebSocketCockpitClient, type SocketLike } from './ws-client';

function idleSocket(): SocketLike {
  return { readyState: 0, send() {}, close() {}, onopen: null, onclose: null, onerror: null, onmessage: null };
}

describe('choosing the transport', () => {
  const electronApi: CockpitApi = { invoke: async () => ({ ok: true, value: null as never }), on: () => () => {} };

  it("uses Electron's window.cockpit when the preload provided it", () => {
    expect(createTransport({ cockpit: electronApi, location: { protocol: 'file:', host: '', hash: '', pathname: '/', search: '' } })).toBe(electronApi);
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
      { location: { protocol: 'http:', host: '127.0.0.1:5180', hash: '#token=abc', pathname: '/', search: '' } },
      { createSocket: (url) => (made.push(url), idleSocket()) },
    );
    expect(api).toBeInstanceOf(WebSocketCockpitClient);
    expect(made).toEqual(['ws://127.0.0.1:5180/ws?token=abc']);
    (api as WebSocketCockpitClient).close();
  });

  it('explains on every command that the page has no token', async () => {
    const api = createTransport({ location: { protocol: 'http:', host: '127.0.0.1:5180', hash: '', pathname: '/', search: '' } });
    expect(await api.invoke('engine.ping', { nonce: 'a' })).toMatchObject({ ok: false, error: { type: 'unauthorized', message: expect.stringContaining('#token=') } });
  });

  it('takes the token out of the address bar once read, and keeps it for a reload of this tab only', () => {
    const replaced: string[] = [];
    const stored = new Map<string, string>();
    const host = {
      location: { protocol: 'http:', host: '127.0.0.1:5180', hash: '#token=secret', pathname: '/', search: '?x=1' },
      history: { replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => void replaced.push(String(url)) },
      sessionStorage: { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) },
    };
    expect(takeToken(host)).toBe('secret');
    expect(replaced).toEqual(['/?x=1']);
    expect(replaced.join()).not.toContain('secret');
    const reloaded = { ...host, location: { ...host.location, hash: '' } };
    expect(takeToken(reloaded)).toBe('secret');
    expect(replaced).toHaveLength(1);
  });
});
