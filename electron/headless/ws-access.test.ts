import { describe, expect, it } from 'vitest';
import { checkUpgrade, hostsFor, isLoopback, type AccessPolicy } from './ws-access';

const TOKEN = 'a'.repeat(64);
const policy: AccessPolicy = { token: TOKEN, hosts: hostsFor('127.0.0.1', 5180) };
const request = (url: string, headers: Record<string, string | undefined>) => ({ url, headers });
const own = { host: '127.0.0.1:5180', origin: 'http://127.0.0.1:5180' };

describe('who may open the engine WebSocket', () => {
  it('lets in the page the server served, holding the token', () => {
    expect(checkUpgrade(request(`/ws?token=${TOKEN}`, own), policy)).toEqual({ ok: true });
    expect(checkUpgrade(request(`/ws?token=${TOKEN}`, { host: 'localhost:5180', origin: 'http://localhost:5180' }), policy)).toEqual({ ok: true });
  });

  it.each([
    ['no token', '/ws', own, 401],
    ['a wrong token', `/ws?token=${'b'.repeat(64)}`, own, 401],
    ['a shorter token', `/ws?token=${TOKEN.slice(1)}`, own, 401],
    ['a foreign origin', `/ws?token=${TOKEN}`, { ...own, origin: 'http://evil.example' }, 403],
    ['no origin', `/ws?token=${TOKEN}`, { host: own.host }, 403],
    ['another port as origin', `/ws?token=${TOKEN}`, { ...own, origin: 'http://127.0.0.1:5181' }, 403],
    ['a rebound host name', `/ws?token=${TOKEN}`, { host: 'evil.example:5180', origin: 'http://evil.example:5180' }, 403],
    ['another path', `/socket?token=${TOKEN}`, own, 404],
  ])('refuses %s', (_case, url, headers, status) => {
    expect(checkUpgrade(request(url, headers), policy)).toMatchObject({ ok: false, status });
  });

  it('answers to the bound name only when not on loopback, and to any host (same-origin) on every interface', () => {
    expect([...hostsFor('192.168.1.5', 80)!]).toEqual(['192.168.1.5:80']);
    expect([...hostsFor('::1', 80)!]).toContain('[::1]:80');
    expect(hostsFor('0.0.0.0', 80)).toBeNull();
    expect([isLoopback('127.0.0.1'), isLoopback('localhost'), isLoopback('::1'), isLoopback('0.0.0.0'), isLoopback('10.0.0.2')]).toEqual([true, true, true, false, false]);
    const open: AccessPolicy = { token: TOKEN, hosts: null };
    expect(checkUpgrade(request(`/ws?token=${TOKEN}`, { host: 'box.lan:80', origin: 'http://box.lan:80' }), open)).toEqual({ ok: true });
    expect(checkUpgrade(request(`/ws?token=${TOKEN}`, { host: 'box.lan:80', origin: 'http://evil.example' }), open)).toMatchObject({ ok: false });
  });
});
