import { createRng, type Rng } from './random';

/**
 * Faults a test can inject into the simulated exchange, written as a spec string:
 * `latency=50,jitter=10,5xx=0.1,429=0.1,1021=0.05,hang=0.1,timeout=0.1,wsdrop=0.01`.
 *
 * - `latency`, `jitter`: milliseconds added to every request (fixed + uniform jitter).
 * - `5xx`, `429`, `1021`: fraction of requests rejected before they are processed
 *   (server error, rate limit, timestamp outside recvWindow).
 * - `hang`: fraction of requests that are processed (an order is accepted) but
 *   never answered: the response is held until the client's own timeout gives up.
 *   Drawn in the same roll as `5xx`, `429` and `1021`, so these four fractions add up
 *   to the share of every request, read or write, that fails.
 * - `timeout`: fraction of the remaining order-changing requests that ARE processed,
 *   but whose connection is cut at once (the caller sees a reset after the exchange accepted).
 * - `wsdrop`: chance, per pushed websocket message, that the connection is dropped.
 */
export interface FaultPlan {
  latencyMs: number;
  jitterMs: number;
  serverError: number;
  rateLimit: number;
  timestamp: number;
  hang: number;
  timeoutAfterAccept: number;
  wsDrop: number;
}

export type RejectFault = '5xx' | '429' | '1021';
/** How one request fails: rejected before it is processed, or processed and never answered. */
export type RequestFault = RejectFault | 'hang';

export const NO_FAULTS: FaultPlan = {
  latencyMs: 0,
  jitterMs: 0,
  serverError: 0,
  rateLimit: 0,
  timestamp: 0,
  hang: 0,
  timeoutAfterAccept: 0,
  wsDrop: 0,
};

const KEYS: Record<string, keyof FaultPlan> = {
  latency: 'latencyMs',
  jitter: 'jitterMs',
  '5xx': 'serverError',
  '429': 'rateLimit',
  '1021': 'timestamp',
  hang: 'hang',
  timeout: 'timeoutAfterAccept',
  wsdrop: 'wsDrop',
};

const PROBABILITIES = new Set<keyof FaultPlan>(['serverError', 'rateLimit', 'timestamp', 'hang', 'timeoutAfterAccept', 'wsDrop']);

/** Parses a fault spec; throws a clear error for an unknown key or a bad value. */
export function parseFaultSpec(spec: string | undefined): FaultPlan {
  const plan: FaultPlan = { ...NO_FAULTS };
  if (!spec?.trim()) return plan;
  for (const part of spec.split(',')) {
    const [rawKey, rawValue, ...rest] = part.split('=').map((s) => s.trim());
    const key = KEYS[rawKey ?? ''];
    if (!key || rawValue === undefined || rest.length) {
      throw new Error(`Bad fault spec "${part}": expected one of ${Object.keys(KEYS).join(', ')} as key=value`);
    }
    const value = Number(rawValue);
    if (!Number.isFinite(value) || value < 0 || (PROBABILITIES.has(key) && value > 1)) {
      throw new Error(`Bad fault spec "${part}": ${PROBABILITIES.has(key) ? 'a fraction between 0 and 1' : 'a non-negative number of milliseconds'}`);
    }
    plan[key] = value;
  }
  const requestTotal = plan.serverError + plan.rateLimit + plan.timestamp + plan.hang;
  if (requestTotal > 1) throw new Error(`Bad fault spec "${spec}": 5xx + 429 + 1021 + hang exceed 1`);
  return plan;
}

/** One fault the injector dealt: which request, order change or pushed frame (counted from 1) it hit. */
export interface InjectedFault {
  kind: RequestFault | 'timeout' | 'wsdrop';
  /** The request (for 5xx, 429, 1021, hang), order-changing request (timeout) or pushed frame (wsdrop). */
  at: number;
}

/**
 * Decides, deterministically under a seed, which requests fail and how long each takes.
 * Each kind of draw has its own stream: the nth request's fault, the nth accepted order
 * change's lost answer and the nth pushed frame's drop depend only on the seed, never on how
 * the three interleave, so a seed replays the same fault schedule.
 */
export class FaultInjector {
  private readonly latencies: Rng;
  private readonly requests: Rng;
  private readonly answers: Rng;
  private readonly frames: Rng;
  private readonly counts = { request: 0, orderChange: 0, frame: 0 };
  private readonly dealt: InjectedFault[] = [];

  constructor(
    readonly plan: FaultPlan,
    seed: number,
  ) {
    this.latencies = createRng(seed ^ 0x9e3779b9);
    this.requests = createRng(seed ^ 0x85ebca6b);
    this.answers = createRng(seed ^ 0xc2b2ae35);
    this.frames = createRng(seed ^ 0x27d4eb2f);
  }

  static fromSpec(spec: string | undefined, seed: number): FaultInjector {
    return new FaultInjector(parseFaultSpec(spec), seed);
  }

  latency(): number {
    return this.plan.latencyMs + (this.plan.jitterMs > 0 ? this.latencies.next() * this.plan.jitterMs : 0);
  }

  /** How this request fails, one roll per request: rejected before the exchange processes it, left hanging after, or null. */
  requestFault(): RequestFault | null {
    const { serverError, rateLimit, timestamp, hang } = this.plan;
    if (serverError + rateLimit + timestamp + hang === 0) return null;
    const at = ++this.counts.request;
    const roll = this.requests.next();
    const fault = roll < serverError ? '5xx' : roll < serverError + rateLimit ? '429' : roll < serverError + rateLimit + timestamp ? '1021' : roll < serverError + rateLimit + timestamp + hang ? 'hang' : null;
    if (fault) this.dealt.push({ kind: fault, at });
    return fault;
  }

  /** For an order-changing request the exchange accepted: true when its response is lost. */
  loseResponse(): boolean {
    if (!(this.plan.timeoutAfterAccept > 0)) return false;
    const at = ++this.counts.orderChange;
    const lost = this.answers.next() < this.plan.timeoutAfterAccept;
    if (lost) this.dealt.push({ kind: 'timeout', at });
    return lost;
  }

  dropSocket(): boolean {
    if (!(this.plan.wsDrop > 0)) return false;
    const at = ++this.counts.frame;
    const drop = this.frames.next() < this.plan.wsDrop;
    if (drop) this.dealt.push({ kind: 'wsdrop', at });
    return drop;
  }

  /** Every fault dealt so far, in order. */
  injected(): InjectedFault[] {
    return [...this.dealt];
  }

  /**
   * The fault schedule so far, one line per kind, e.g. `429 at request 45, 301`: what a
   * failure report prints, and what the same seed deals again.
   */
  schedule(): string {
    const { request, orderChange, frame } = this.counts;
    const lines = [`${request} requests, ${orderChange} accepted order changes, ${frame} pushed frames`];
    const unit = { '5xx': 'request', '429': 'request', '1021': 'request', hang: 'request', timeout: 'order change', wsdrop: 'frame' } as const;
    for (const kind of Object.keys(unit) as InjectedFault['kind'][]) {
      const at = this.dealt.filter((f) => f.kind === kind).map((f) => f.at);
      if (at.length) lines.push(`${kind} at ${unit[kind]} ${at.join(', ')}`);
    }
    return lines.join('\n');
  }
}
