import { describe, expect, it } from 'vitest';
import { pointUrlsAt } from './exchange-url';

describe('pointUrlsAt', () => {
  it('replaces scheme and host, keeps the path, and matches ws to the base scheme', () => {
    const tree = { rest: 'https://api.{hostname}/v5', ws: { public: 'wss://stream.example.com:9443/ws', plain: 'ws://x/y' }, other: 'not a url' };
    expect(pointUrlsAt(tree, 'http://127.0.0.1:9000')).toEqual({
      rest: 'http://127.0.0.1:9000/v5',
      ws: { public: 'ws://127.0.0.1:9000/ws', plain: 'ws://127.0.0.1:9000/y' },
      other: 'not a url',
    });
    expect(pointUrlsAt({ ws: 'ws://x/ws' }, 'https://localhost:8443')).toEqual({ ws: 'wss://localhost:8443/ws' });
  });

  it('refuses a base that is not a bare http(s) origin', () => {
    expect(() => pointUrlsAt({}, 'localhost:9000')).toThrow(/http/);
    expect(() => pointUrlsAt({}, 'ftp://127.0.0.1')).toThrow(/http or https/);
    expect(() => pointUrlsAt({}, 'http://127.0.0.1:9000/fapi')).toThrow(/bare origin/);
  });

  it('takes plain http:// only for a loopback address, so keys never cross a network unencrypted', () => {
    for (const base of ['http://192.168.1.5:9000', 'http://exchange.example', 'http://0.0.0.0:9000', 'http://127.0.0.1.nip.io:9000']) {
      expect(() => pointUrlsAt({}, base), base).toThrow(/http:\/\/ is accepted only for a loopback address/);
    }
    for (const base of ['http://127.0.0.1:9000', 'http://localhost:9000', 'http://[::1]:9000', 'https://exchange.example']) expect(() => pointUrlsAt({}, base), base).not.toThrow();
  });
});
