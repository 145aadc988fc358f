import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Fetch } from '../../src/http/keep-alive-transport.js';

/**
 * A real node:http (or node:https) server on 127.0.0.1 whose answers each test sets, recording
 * what it was sent and on which connection: what the keep-alive fetches are tested against.
 */

/** What the server saw of one request. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Which connection (0, 1, …) carried it. */
  socket: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export class TestServer {
  readonly seen: Seen[] = [];
  handler: Handler = (_req, res) => res.end('{}');
  private readonly sockets: Socket[] = [];
  private readonly server: Server;
  private port = 0;

  /** `tls`: serve https with this key and certificate. */
  constructor(private readonly tls?: { key: string; cert: string }) {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const socket = this.sockets.indexOf(req.socket);
        this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socket });
        this.handler(req, res, body);
      });
    };
    this.server = tls ? createHttpsServer(tls, listener) : createServer(listener);
    this.server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => this.sockets.push(socket));
  }

  get connections(): number {
    return this.sockets.length;
  }

  url(path = '/'): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}${path}`;
  }

  /** How long the server keeps an idle connection open, ms (node's default: 5 s). */
  set keepAliveTimeout(ms: number) {
    this.server.keepAliveTimeout = ms;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on: one the system just gave out and took back. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The global fetch, recording what it was given: where a keep-alive fetch hands the rest. */
export function recordingFallback(): {
  fetch: Fetch;
  calls: Array<{ input: unknown; init: RequestInit | undefined }>;
} {
  const calls: Array<{ input: unknown; init: RequestInit | undefined }> = [];
  return {
    calls,
    fetch: (input, init) => {
      calls.push({ input, init });
      return globalThis.fetch(input, init);
    },
  };
}
