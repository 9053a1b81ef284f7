import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommandHandlers } from '../../shared/contract';
import type { EventBus } from '../engine/event-bus';
import { staticFileHandler } from './static-files';
import { hostsFor, urlHost } from './ws-access';
import { attachWsTransport } from './ws-transport';

export interface HeadlessServerOptions {
  handlers: CommandHandlers;
  bus: EventBus;
  /** The built renderer (`out/renderer`). */
  staticDir: string;
  /** Interface to bind; loopback unless the user asks otherwise. */
  host?: string;
  /** 0 picks any free port. */
  port?: number;
  /** Defaults to 32 random bytes, hex. */
  token?: string;
}

export interface HeadlessServer {
  host: string;
  port: number;
  token: string;
  /** What a browser opens: the page, with the token in the fragment (never sent to the server). */
  url: string;
  /** The WebSocket endpoint, token included. */
  wsUrl: string;
  clients(): number;
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * `npm run headless`: the built renderer over HTTP and the engine over a
 * token-protected WebSocket, on one port, bound to 127.0.0.1 by default.
 */
export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('hex');
  const serveStatic = staticFileHandler(options.staticDir);
  const server = createServer((request, response) => void serveStatic(request, response));
  const address = await listen(server, host, options.port ?? 0);
  const port = address.port;
  const transport = attachWsTransport(server, {
    handlers: options.handlers,
    bus: options.bus,
    access: { token, hosts: hostsFor(host, port) },
  });
  const origin = `http://${urlHost(host)}:${port}`;
  return {
    host,
    port,
    token,
    url: `${origin}/#token=${token}`,
    wsUrl: `ws://${urlHost(host)}:${port}/ws?token=${token}`,
    clients: transport.clients,
    close: async () => {
      await transport.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
