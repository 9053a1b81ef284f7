import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { clientFrameSchema, MAX_FRAME_BYTES, type CommandHandlers, type ServerFrame } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';
import { dispatch } from '../engine/dispatch';
import type { EventBus } from '../engine/event-bus';
import { checkUpgrade, type AccessPolicy } from './ws-access';

/** A frame this much over the limit closes the socket instead of being answered. */
const HARD_PAYLOAD_LIMIT = 16 * MAX_FRAME_BYTES;
/** A client this far behind on events is dropped; it reconnects and reloads the snapshot. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const KEEPALIVE_MS = 30_000;
const SHUTDOWN_GRACE_MS = 1_000;

export interface WsTransportOptions {
  handlers: CommandHandlers;
  bus: EventBus;
  access: AccessPolicy;
}

export interface WsTransport {
  /** Clients connected now. */
  clients(): number;
  close(): Promise<void>;
}

function idOf(json: unknown): number | null {
  if (typeof json !== 'object' || json === null || !('id' in json)) return null;
  const { id } = json as { id: unknown };
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

const toBuffer = (data: RawData): Buffer => (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));

/** Turns one raw frame into the result frame to send back. Never throws. */
async function answerFrame(handlers: CommandHandlers, data: RawData, isBinary: boolean): Promise<ServerFrame> {
  const reply = (id: number | null, result: Result<unknown>): ServerFrame => ({ kind: 'result', id, result });
  const bytes = toBuffer(data);
  if (isBinary) return reply(null, fail('invalid-input', 'Frames must be JSON text'));
  if (bytes.byteLength > MAX_FRAME_BYTES) return reply(null, fail('invalid-input', `Frame exceeds ${MAX_FRAME_BYTES} bytes`));
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return reply(null, fail('invalid-input', 'Frame is not valid JSON'));
  }
  const frame = clientFrameSchema.safeParse(json);
  if (!frame.success) return reply(idOf(json), fail('invalid-input', 'Frame must be { id, command, input }'));
  return reply(frame.data.id, await dispatch(handlers, frame.data.command, frame.data.input));
}

function serialize(frame: ServerFrame): string {
  try {
    return JSON.stringify(frame);
  } catch (error) {
    const id = frame.kind === 'result' ? frame.id : null;
    return JSON.stringify({ kind: 'result', id, result: fail('internal', `Answer could not be serialised: ${String(error)}`) } satisfies ServerFrame);
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

/**
 * The headless twin of the IPC transport: a token-protected WebSocket on
 * `/ws` of `server`, carrying {@link ClientFrame}s in and {@link ServerFrame}s
 * out. Every command goes through {@link dispatch}; a bad frame is answered
 * with a typed error and the connection stays open. Every engine event is sent
 * to every client.
 */
export function attachWsTransport(server: Server, options: WsTransportOptions): WsTransport {
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_PAYLOAD_LIMIT });
  const alive = new WeakSet<WebSocket>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkUpgrade(request, options.access);
    if (!verdict.ok) return refuse(socket, verdict.status, verdict.reason);
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      void answerFrame(options.handlers, data, isBinary).then((frame) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(serialize(frame));
      });
    });
  });

  const keepalive = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, KEEPALIVE_MS);
  keepalive.unref();

  const unsubscribe = options.bus.subscribe((event, payload) => {
    if (wss.clients.size === 0) return;
    const text = serialize({ kind: 'event', event, payload });
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.close(1013, 'too far behind; reconnect');
      else ws.send(text);
    }
  });

  return {
    clients: () => wss.clients.size,
    close: async () => {
      unsubscribe();
      clearInterval(keepalive);
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'cockpit shutting down');
      const closed = new Promise<void>((resolve) => wss.close(() => resolve()));
      const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([closed, grace]);
      for (const ws of wss.clients) ws.terminate();
    },
  };
}
