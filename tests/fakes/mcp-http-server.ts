import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { buildTestMcpServer } from './mcp-test-server.js';

/**
 * The test MCP server (mcp-test-server.ts) over HTTP on 127.0.0.1, with the SDK's own server
 * transports, so the wire is the real protocol:
 * - `streamable`: Streamable HTTP at `/mcp` (POST JSON-RPC, GET stream, DELETE), one session per
 *   initialize, with `mcp-session-id` (the SDK's stateful mode);
 * - `sse-only`: the older HTTP+SSE transport: `GET /mcp` opens the event stream, whose `endpoint`
 *   event names `POST /messages?sessionId=…`; a `POST /mcp` gets 405, as on a server that predates
 *   Streamable HTTP, which is what makes a client fall back.
 */
export interface McpHttpServer {
  /** The server's MCP URL (`http://127.0.0.1:<port>/mcp`). */
  readonly url: string;
  /** Initialize requests received (one per connection the client opened). */
  readonly initializes: () => number;
  /** Headers of every HTTP request, in order. */
  readonly headers: IncomingHttpHeaders[];
  /** `hang` calls the client cancelled. */
  readonly cancelled: () => number;
  close(): Promise<void>;
}

export async function startMcpHttpServer(
  options: { mode?: 'streamable' | 'sse-only'; extraTools?: readonly string[]; port?: number } = {},
): Promise<McpHttpServer> {
  const mode = options.mode ?? 'streamable';
  let initializes = 0;
  let cancelled = 0;
  const headers: IncomingHttpHeaders[] = [];
  const streamable = new Map<string, StreamableHTTPServerTransport>();
  const sse = new Map<string, SSEServerTransport>();
  const newServer = () =>
    buildTestMcpServer({
      extraTools: options.extraTools ?? [],
      starts: () => initializes,
      onCancelled: () => (cancelled += 1),
    });

  const http = createServer((req, res) => {
    headers.push(req.headers);
    void route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (mode === 'sse-only') {
      if (url.pathname === '/mcp' && req.method === 'GET') {
        const transport = new SSEServerTransport('/messages', res);
        sse.set(transport.sessionId, transport);
        transport.onclose = () => sse.delete(transport.sessionId);
        await newServer().connect(transport);
        return;
      }
      if (url.pathname === '/messages' && req.method === 'POST') {
        const transport = sse.get(url.searchParams.get('sessionId') ?? '');
        if (!transport) return void res.writeHead(404).end('unknown session');
        if (isInitializeRequest(body)) initializes += 1;
        await transport.handlePostMessage(req, res, body);
        return;
      }
      return void res.writeHead(405, { allow: 'GET' }).end('Method Not Allowed');
    }
    if (url.pathname !== '/mcp') return void res.writeHead(404).end('not found');
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? streamable.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(req, res, body);
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'No valid session' }, id: null }),
      );
      return;
    }
    initializes += 1;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void streamable.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) streamable.delete(transport.sessionId);
    };
    await newServer().connect(transport);
    await transport.handleRequest(req, res, body);
  }

  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    initializes: () => initializes,
    headers,
    cancelled: () => cancelled,
    close: async () => {
      for (const t of [...streamable.values(), ...sse.values()]) await t.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
