import { describe, expect, it } from 'vitest';
import { VenueError } from './binance-error';
import { RequestParams } from './request-params';
import { authenticate, sign, withoutSignature, type SignedRequest } from './signing';

const credentials = { apiKey: 'key-123', apiSecret: 'secret-456' };
const NOW = 1_700_000_000_000;

/** A request signed the way ccxt (and Binance's docs) sign one: HMAC-SHA256 of query + body. */
function signed(query: string, body = '', secret = credentials.apiSecret): SignedRequest {
  const apiKey = credentials.apiKey;
  const signature = sign(query + body, secret);
  return body ? { apiKey, query, body: `${body}&signature=${signature}` } : { apiKey, query: `${query}&signature=${signature}`, body: '' };
}

function refusal(security: 'SIGNED' | 'USER_STREAM', request: SignedRequest): { code: number; status: number } | null {
  try {
    authenticate(security, request, RequestParams.parse(request.query, request.body).values, credentials, NOW);
    return null;
  } catch (error) {
    if (!(error instanceof VenueError)) throw error;
    return { code: error.code, status: error.status };
  }
}

describe('request signing', () => {
  it("matches Binance's documented HMAC-SHA256 example", () => {
    const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
    const payload = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    expect(sign(payload, secret)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  it('accepts a signature over the query string, or over query string and body together', () => {
    expect(refusal('SIGNED', signed(`symbol=BTCUSDT&timestamp=${NOW}`))).toBeNull();
    expect(refusal('SIGNED', signed(`timestamp=${NOW}`, 'symbol=BTCUSDT&side=BUY&quantity=0.010'))).toBeNull();
  });

  it('refuses a tampered parameter or a wrong secret: -1022', () => {
    const request = signed(`symbol=BTCUSDT&quantity=1&timestamp=${NOW}`);
    expect(refusal('SIGNED', { ...request, query: request.query.replace('quantity=1', 'quantity=9') })).toEqual({ code: -1022, status: 400 });
    expect(refusal('SIGNED', signed(`timestamp=${NOW}`, '', 'other-secret'))).toEqual({ code: -1022, status: 400 });
  });

  it('refuses a missing key (-2014) and an unknown one (-2015), with HTTP 401', () => {
    expect(refusal('SIGNED', { ...signed(`timestamp=${NOW}`), apiKey: undefined })).toEqual({ code: -2014, status: 401 });
    expect(refusal('USER_STREAM', { apiKey: 'key-999', query: '', body: '' })).toEqual({ code: -2015, status: 401 });
  });

  it('needs only the API key on user-stream endpoints', () => {
    expect(refusal('USER_STREAM', { apiKey: credentials.apiKey, query: '', body: '' })).toBeNull();
  });

  it('refuses a timestamp older than recvWindow, or 1 s ahead of the server: -1021', () => {
    expect(refusal('SIGNED', signed(`timestamp=${NOW - 5_001}`))).toEqual({ code: -1021, status: 400 });
    expect(refusal('SIGNED', signed(`timestamp=${NOW - 5_001}&recvWindow=10000`))).toBeNull();
    expect(refusal('SIGNED', signed(`timestamp=${NOW + 1_000}`))).toEqual({ code: -1021, status: 400 });
    expect(refusal('SIGNED', signed(`timestamp=${NOW + 999}`))).toBeNull();
  });

  it('refuses a missing timestamp or signature (-1102) and a recvWindow above 60 s (-1131)', () => {
    expect(refusal('SIGNED', signed('symbol=BTCUSDT'))).toEqual({ code: -1102, status: 400 });
    expect(refusal('SIGNED', { apiKey: credentials.apiKey, query: `timestamp=${NOW}`, body: '' })).toEqual({ code: -1102, status: 400 });
    expect(refusal('SIGNED', signed(`timestamp=${NOW}&recvWindow=60001`))).toEqual({ code: -1131, status: 400 });
  });

  it('refuses a signature that is not valid percent-encoding or not hex as not valid (-1022), never as a server error', () => {
    const query = `timestamp=${NOW}`;
    expect(refusal('SIGNED', { apiKey: credentials.apiKey, query: `${query}&signature=%E0%A4%A`, body: '' })).toEqual({ code: -1022, status: 400 });
    expect(refusal('SIGNED', { apiKey: credentials.apiKey, query: `${query}&signature=${'z'.repeat(64)}`, body: '' })).toEqual({ code: -1022, status: 400 });
    expect(refusal('SIGNED', { apiKey: credentials.apiKey, query: `${query}&signature=${sign(query, credentials.apiSecret).slice(1)}`, body: '' })).toEqual({ code: -1022, status: 400 });
    expect(refusal('SIGNED', { apiKey: credentials.apiKey, query: '', body: `${query}&signature=%zz` })).toEqual({ code: -1022, status: 400 });
    expect(refusal('SIGNED', { apiKey: credentials.apiKey, query: `${query}&signature=${sign(query, credentials.apiSecret).toUpperCase()}`, body: '' })).toBeNull();
  });

  it('takes recvWindow and timestamp as plain decimal integers only (-1100)', () => {
    for (const window of ['1e4', '0x2710', '10000.0', '-1', '%2010000', '+10000', '10000%20', '']) {
      expect(refusal('SIGNED', signed(`timestamp=${NOW}&recvWindow=${window}`)), `recvWindow=${window}`).toEqual({ code: -1100, status: 400 });
    }
    for (const timestamp of [`${NOW}.0`, '1.7e12', `%20${NOW}`, `+${NOW}`]) {
      expect(refusal('SIGNED', signed(`timestamp=${timestamp}`)), `timestamp=${timestamp}`).toEqual({ code: -1100, status: 400 });
    }
    expect(refusal('SIGNED', signed(`timestamp=${NOW}&recvWindow=10000`))).toBeNull();
  });

  it('removes only the signature component, keeping the rest byte for byte', () => {
    expect(withoutSignature('a=1&signature=abc&b=%2F')).toEqual({ rest: 'a=1&b=%2F', signature: 'abc' });
    expect(withoutSignature('a=1')).toEqual({ rest: 'a=1', signature: undefined });
  });
});
