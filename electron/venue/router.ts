import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector, RequestFault } from '../engine/sim/faults';
import { binanceErrors, toVenueError, VenueError } from './binance-error';
import { RequestParams } from './request-params';
import { authenticate, type Credentials, type Security } from './signing';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One Binance endpoint the venue serves. */
export interface Route {
  method: HttpMethod;
  /** The full path, e.g. `/fapi/v1/order`. */
  path: string;
  security: Security;
  /** Creates, cancels or changes orders: fault injection may cut its connection after it was processed. */
  changesOrders?: boolean;
  /** Returns the JSON body of a 200 answer; throws a VenueError (or the core's SimError) to refuse. */
  handle(params: RequestParams): unknown;
}

export interface RouterOptions {
  routes: readonly Route[];
  credentials: Credentials;
  faults: FaultInjector;
  /** Wall-clock time, which signed requests' timestamps are checked against. */
  now(): number;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The one door every REST request goes through: it finds the route, applies the
 * injected faults (latency, rejections, hung and lost responses), checks the API
 * key and signature, runs the handler and writes Binance's answer or error shape.
 * A hung request is processed, then never answered: the client's own timeout ends it.
 */
export class Router {
  private readonly routes = new Map<string, Route>();
  private weightMinute = 0;
  private weightUsed = 0;

  constructor(private readonly options: RouterOptions) {
    for (const route of options.routes) {
      const key = `${route.method} ${route.path}`;
      if (this.routes.has(key)) throw new Error(`Two venue routes for ${key}`);
      this.routes.set(key, route);
    }
  }

  async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://venue');
    const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
    const weight = this.countWeight();
    let fault: RequestFault | null = null;
    try {
      const body = await readBody(request);
      const route = this.routes.get(`${request.method} ${url.pathname}`);
      if (!route) throw binanceErrors.notFound(url.pathname);
      await delay(this.options.faults.latency());
      fault = this.options.faults.requestFault();
      if (fault === '5xx') return reply(response, 503, 'Service Unavailable', weight, 'text/plain');
      if (fault === '429') throw binanceErrors.tooManyRequests();
      if (fault === '1021') throw binanceErrors.timestampOutsideRecvWindow();
      const params = RequestParams.parse(query, body);
      authenticate(route.security, { apiKey: header(request, 'x-mbx-apikey'), query, body }, params.values, this.options.credentials, this.options.now());
      const result = route.handle(params);
      if (fault === 'hang') return;
      if (route.changesOrders && this.options.faults.loseResponse()) {
        request.socket.destroy();
        return;
      }
      reply(response, 200, JSON.stringify(result), weight);
    } catch (error) {
      if (fault === 'hang') return;
      const refusal = toVenueError(error);
      reply(response, refusal.status, JSON.stringify(refusal.body()), weight, 'application/json', refusal.headers);
    }
  }

  private countWeight(): number {
    const minute = Math.floor(this.options.now() / 60_000);
    if (minute !== this.weightMinute) {
      this.weightMinute = minute;
      this.weightUsed = 0;
    }
    return ++this.weightUsed;
  }
}

function reply(response: ServerResponse, status: number, body: string, weight: number, contentType = 'application/json', headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': contentType, 'X-MBX-USED-WEIGHT-1M': String(weight), ...headers });
  response.end(body);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new VenueError(413, -1000, 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const delay = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
