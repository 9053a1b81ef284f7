import type { CockpitApi, CommandInput, CommandName, CommandResults, EngineEvents, EventName, ServerFrame } from '../../../shared/contract';
import { MAX_FRAME_BYTES } from '../../../shared/contract';
import { fail, type Result } from '../../../shared/result';
import { markArrival } from './arrival-probe';

/** The link between this page and the engine, as the client sees it. */
export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** The part of the browser's WebSocket the client uses (so tests can hand it a double). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface WsClientOptions {
  /** `ws://host:port/ws?token=…` */
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** First reconnect delay; doubles on each failure up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a command waits for the link before it fails as `temporary`. */
  connectWaitMs?: number;
}

const OPEN = 1;

type Resolve = (result: Result<unknown>) => void;

interface Waiting {
  frame: string;
  resolve: Resolve;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The WebSocket twin of `window.cockpit`. Correlates answers by frame id,
 * reconnects with exponential backoff, and keeps every `on` subscription
 * across reconnects (the server sends every event to every client).
 *
 * A command sent while the link is down waits up to `connectWaitMs` for it;
 * a command whose answer is lost with the link resolves as `temporary`,
 * since the engine may or may not have run it.
 */
export class WebSocketCockpitClient implements CockpitApi {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private backoffMs: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private linkState: LinkState = 'connecting';
  /** Commands on the wire, by frame id. */
  private readonly sent = new Map<number, Resolve>();
  /** Commands waiting for the link, by frame id. */
  private readonly waiting = new Map<number, Waiting>();
  private readonly handlers = new Map<string, Set<(payload: unknown) => void>>();
  private readonly statusListeners = new Set<(state: LinkState) => void>();
  private readonly createSocket: (url: string) => SocketLike;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly connectWaitMs: number;

  constructor(private readonly options: WsClientOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as SocketLike);
    this.initialBackoffMs = options.initialBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.connectWaitMs = options.connectWaitMs ?? 10_000;
    this.backoffMs = this.initialBackoffMs;
    this.connect();
  }

  get status(): LinkState {
    return this.linkState;
  }

  /** Follows the link state; returns the unsubscribe. */
  onStatus(listener: (state: LinkState) => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  invoke<K extends CommandName>(command: K, input: CommandInput<K>): Promise<Result<CommandResults[K]>> {
    return this.send(command, input) as Promise<Result<CommandResults[K]>>;
  }

  on<E extends EventName>(event: E, handler: (payload: EngineEvents[E]) => void): () => void {
    const set = this.handlers.get(event) ?? new Set();
    this.handlers.set(event, set);
    const entry = (payload: unknown) => handler(payload as EngineEvents[E]);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Closes the link for good; pending and later commands fail as `temporary`. */
  close(): void {
    this.setState('closed');
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'client closed');
    this.socket = null;
    this.failAll('The link to the engine was closed');
  }

  private send(command: string, input: unknown): Promise<Result<unknown>> {
    if (this.linkState === 'closed') return Promise.resolve(fail('temporary', 'The link to the engine is closed'));
    const id = this.nextId++;
    const frame = JSON.stringify({ id, command, input });
    if (new TextEncoder().encode(frame).byteLength > MAX_FRAME_BYTES) {
      return Promise.resolve(fail('invalid-input', `Command ${command} exceeds ${MAX_FRAME_BYTES} bytes`));
    }
    return new Promise((resolve) => {
      if (this.socket?.readyState === OPEN) {
        this.sent.set(id, resolve);
        this.socket.send(frame);
        return;
      }
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(fail('temporary', 'Not connected to the engine'));
      }, this.connectWaitMs);
      this.waiting.set(id, { frame, resolve, timer });
    });
  }

  private connect(): void {
    const socket = this.createSocket(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      this.backoffMs = this.initialBackoffMs;
      this.setState('connected');
      for (const [id, waiting] of this.waiting) {
        clearTimeout(waiting.timer);
        this.sent.set(id, waiting.resolve);
        socket.send(waiting.frame);
      }
      this.waiting.clear();
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onerror = () => socket.close();
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failSent('The link to the engine dropped before it answered; the command may or may not have run');
      if (this.linkState === 'closed') return;
      this.setState('reconnecting');
      this.reconnectTimer = setTimeout(() => this.connect(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    };
  }

  private receive(data: unknown): void {
    markArrival();
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      return;
    }
    if (frame.kind === 'event') {
      for (const handler of this.handlers.get(frame.event) ?? []) {
        try {
          handler(frame.payload);
        } catch (error) {
          console.error(`cockpit: a handler for "${frame.event}" threw`, error);
        }
      }
      return;
    }
    if (frame.kind === 'result' && frame.id !== null) {
      const resolve = this.sent.get(frame.id);
      this.sent.delete(frame.id);
      resolve?.(frame.result);
    }
  }

  /** Fails the commands already on the wire; those still waiting for the link keep waiting. */
  private failSent(message: string): void {
    for (const resolve of this.sent.values()) resolve(fail('temporary', message));
    this.sent.clear();
  }

  private failAll(message: string): void {
    this.failSent(message);
    for (const waiting of this.waiting.values()) {
      clearTimeout(waiting.timer);
      waiting.resolve(fail('temporary', message));
    }
    this.waiting.clear();
  }

  private setState(state: LinkState): void {
    if (this.linkState === state) return;
    this.linkState = state;
    for (const listener of this.statusListeners) listener(state);
  }
}
