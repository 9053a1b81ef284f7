import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Who may open the WebSocket: the page the server itself served, holding the token. */
export interface AccessPolicy {
  token: string;
  /** `host:port` values the server answers to; null when bound to every interface. */
  hosts: ReadonlySet<string> | null;
}

export type AccessVerdict = { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string };

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Formats a host for a URL (IPv6 in brackets). */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.includes(urlHost(host));
}

/** The `host:port` names a server bound to `host` answers to; loopback answers to all its names. */
export function hostsFor(host: string, port: number): ReadonlySet<string> | null {
  if (WILDCARDS.has(host)) return null;
  const names = isLoopback(host) ? LOOPBACK_NAMES : [urlHost(host)];
  return new Set(names.map((name) => `${name}:${port}`));
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Decides whether an upgrade request may become a cockpit WebSocket: the path
 * must be `/ws`, the `Host` one the server answers to, the `Origin` exactly
 * the server's own (browsers always send it; other clients must too), and the
 * `token` query parameter the one printed at start.
 */
export function checkUpgrade(request: Pick<IncomingMessage, 'url' | 'headers'>, policy: AccessPolicy): AccessVerdict {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  if (url.pathname !== '/ws') return { ok: false, status: 404, reason: 'no such endpoint' };
  if (!sameToken(url.searchParams.get('token'), policy.token)) return { ok: false, status: 401, reason: 'missing or wrong token' };
  const host = request.headers.host?.toLowerCase();
  if (!host || (policy.hosts !== null && !policy.hosts.has(host))) return { ok: false, status: 403, reason: 'foreign host' };
  if (request.headers.origin?.toLowerCase() !== `http://${host}`) return { ok: false, status: 403, reason: 'foreign origin' };
  return { ok: true };
}
