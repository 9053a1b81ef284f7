import { createHmac, timingSafeEqual } from 'node:crypto';
import { binanceErrors } from './binance-error';

/** How a Binance endpoint is secured. */
export type Security = 'NONE' | 'USER_STREAM' | 'SIGNED';

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

/** The raw pieces of a request that its signature covers, as they came off the wire. */
export interface SignedRequest {
  /** The X-MBX-APIKEY header, if sent. */
  apiKey: string | undefined;
  /** The raw query string, without the leading `?`. */
  query: string;
  /** The raw `application/x-www-form-urlencoded` body. */
  body: string;
}

export const DEFAULT_RECV_WINDOW_MS = 5_000;
export const MAX_RECV_WINDOW_MS = 60_000;
/** Binance refuses timestamps more than this far ahead of its own clock. */
export const MAX_CLOCK_AHEAD_MS = 1_000;

/** HMAC-SHA256 of `payload` with `secret`, as lowercase hex (what Binance's `signature` parameter carries). */
export function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** A signature is 64 hex digits (HMAC-SHA256); anything else is refused as not valid (-1022), as Binance does. */
const SIGNATURE = /^[0-9a-f]{64}$/i;
/** `recvWindow` and `timestamp` are plain decimal integers: no sign, exponent, fraction, hex or spaces. */
const PLAIN_INTEGER = /^\d{1,16}$/;

/** Percent-decodes a parameter; one that is not valid percent-encoding comes back as sent. */
function decodeOrKeep(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Drops the `signature=...` component of a raw parameter string, leaving every other byte as sent. */
export function withoutSignature(raw: string): { rest: string; signature: string | undefined } {
  let signature: string | undefined;
  const kept: string[] = [];
  for (const part of raw.split('&')) {
    if (part.startsWith('signature=')) signature = decodeOrKeep(part.slice('signature='.length));
    else if (part !== '') kept.push(part);
  }
  return { rest: kept.join('&'), signature };
}

/**
 * Checks the API key (and, for SIGNED endpoints, the timestamp, recvWindow and
 * HMAC-SHA256 signature over query string + body) the way Binance does; throws
 * the {@link VenueError} Binance answers with. `params` are the decoded parameters.
 */
export function authenticate(
  security: Security,
  request: SignedRequest,
  params: ReadonlyMap<string, string>,
  credentials: Credentials,
  now: number,
): void {
  if (security === 'NONE') return;
  if (!request.apiKey) throw binanceErrors.apiKeyFormatInvalid();
  if (!safeEqual(request.apiKey, credentials.apiKey)) throw binanceErrors.invalidApiKey();
  if (security === 'USER_STREAM') return;

  checkTimestamp(params, now);
  const query = withoutSignature(request.query);
  const body = withoutSignature(request.body);
  const signature = query.signature ?? body.signature;
  if (!signature) throw binanceErrors.mandatoryParameter('signature');
  if (!SIGNATURE.test(signature)) throw binanceErrors.badSignature();
  const expected = sign(query.rest + body.rest, credentials.apiSecret);
  if (!safeEqual(signature.toLowerCase(), expected)) throw binanceErrors.badSignature();
}

function checkTimestamp(params: ReadonlyMap<string, string>, now: number): void {
  const rawTimestamp = params.get('timestamp');
  if (!rawTimestamp) throw binanceErrors.mandatoryParameter('timestamp');
  const timestamp = Number(rawTimestamp);
  if (!PLAIN_INTEGER.test(rawTimestamp) || !Number.isSafeInteger(timestamp)) throw binanceErrors.illegalCharacters('timestamp');
  const rawWindow = params.get('recvWindow');
  if (rawWindow !== undefined && !PLAIN_INTEGER.test(rawWindow)) throw binanceErrors.illegalCharacters('recvWindow');
  const recvWindow = rawWindow === undefined ? DEFAULT_RECV_WINDOW_MS : Number(rawWindow);
  if (recvWindow <= 0) throw binanceErrors.illegalCharacters('recvWindow');
  if (recvWindow > MAX_RECV_WINDOW_MS) throw binanceErrors.recvWindowTooLarge();
  if (timestamp >= now + MAX_CLOCK_AHEAD_MS) throw binanceErrors.timestampAhead();
  if (now - timestamp > recvWindow) throw binanceErrors.timestampOutsideRecvWindow();
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

