import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a token-checking fake received. */
export interface TokenRequest {
  method: string;
  path: string;
  /** The bearer token of the `Authorization` header (`token <t>` is accepted too, as GitHub does). */
  token: string | undefined;
  headers: IncomingMessage['headers'];
}

/** A route's answer. */
export interface TokenAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A loopback server whose routes see the request's token; the shared base of fake-hub and fake-github. */
export interface TokenServer {
  readonly url: string;
  readonly requests: readonly TokenRequest[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 and a free port; `route` answers each request (undefined → 404). */
export async function startTokenServer(
  route: (request: TokenRequest) => TokenAnswer | undefined,
): Promise<TokenServer> {
  const requests: TokenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const match = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '');
    const request: TokenRequest = { method: req.method ?? '', path, token: match?.[1], headers: req.headers };
    requests.push(request);
    const answer = route(request) ?? { status: 404, body: { error: `no route ${request.method} ${path}` } };
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...answer.headers,
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
