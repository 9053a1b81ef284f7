import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

/** One REST request the proxy is holding back. */
interface HeldRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A slow network between an engine and the venue, on command. */
export interface HoldingProxy {
  /** `http://127.0.0.1:N`: give this to the engine as its `--exchange-url`. */
  url: string;
  /** From now on, REST requests whose path or body contains `text` are held back instead of passed on. */
  holdRequestsContaining(text: string): void;
  /** How many requests are held. */
  held(): number;
  /** Whether a REST request containing `text` has been passed on to the venue. */
  passedOn(text: string): boolean;
  /** Passes every held request on to the venue (their senders may be long gone) and waits for the venue's answers. */
  release(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A pass-through proxy in front of the venue, REST and WebSocket, that can
 * hold chosen REST requests back: a request an engine sent just before it was
 * killed can then reach the venue after the restarted engine has looked and
 * acted, as it can on a real network.
 */
export async function holdingProxy(venueUrl: string): Promise<HoldingProxy> {
  const target = new URL(venueUrl);
  const port = Number(target.port);
  const held: HeldRequest[] = [];
  const patterns: string[] = [];
  const passed: string[] = [];
  const sockets = new Set<net.Socket>();

  const forward = (request: HeldRequest, response: http.ServerResponse | null): Promise<void> =>
    new Promise((resolve) => {
      const upstream = http.request({ host: target.hostname, port, method: request.method, path: request.path, headers: request.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          if (response && !response.destroyed) {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            response.end(Buffer.concat(chunks));
          }
          resolve();
        });
      });
      upstream.on('error', () => {
        if (response && !response.destroyed) response.destroy();
        resolve();
      });
      upstream.end(request.body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: HeldRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      const text = `${request.path} ${request.body.toString('utf8')}`;
      if (patterns.some((p) => text.includes(p))) held.push(request);
      else {
        passed.push(text);
        void forward(request, res);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, client, head) => {
    const upstream = net.connect(port, target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    upstream.on('close', end);
    client.on('error', end);
    client.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdRequestsContaining(text) {
      patterns.push(text);
    },
    held: () => held.length,
    passedOn: (text) => passed.some((t) => t.includes(text)),
    async release() {
      patterns.length = 0;
      await Promise.all(held.splice(0).map((request) => forward(request, null)));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
