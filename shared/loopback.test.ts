import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackUrl } from './loopback';

describe('loopback', () => {
  it('knows the names and addresses of this machine', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(isLoopbackHost(host), host).toBe(true);
  });

  it('refuses every other host, lookalikes included', () => {
    for (const host of ['0.0.0.0', '192.168.1.5', '10.0.0.1', 'example.com', 'localhost.example.com', '127.0.0.1.nip.io', '::', '128.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('reads the host of a URL, and a non-URL is not loopback', () => {
    expect(isLoopbackUrl('http://127.0.0.1:5173/')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:8088')).toBe(true);
    expect(isLoopbackUrl('http://localhost:5173')).toBe(true);
    expect(isLoopbackUrl('http://evil.example:5173')).toBe(false);
    expect(isLoopbackUrl('http://127.0.0.1@evil.example/')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});
