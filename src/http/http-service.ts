import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Logger } from 'pino';
import { AcceptThread } from './accept-thread.js';

/**
 * The process's one HTTP server on `PORT`: Slack's HTTP-mode events and the operator endpoints
 * (`/healthz`, `/readyz`, `/metrics`) share it, each mounted at a path. An unknown path is a 404;
 * a handler that throws answers 500 and logs the reason, never the stack to the caller. Its
 * connections are accepted on a thread of their own ({@link AcceptThread}): a burst of Slack
 * deliveries is accepted at once however busy this thread's event loop is.
 */
export class HttpService {
  private readonly routes = new Map<string, RequestListener>();
  private server: Server | undefined;
  private accept: AcceptThread | undefined;

  constructor(private readonly logger: Logger) {}

  /** Routes requests whose path (without the query) is exactly `path` to `listener`. */
  mount(path: string, listener: RequestListener): void {
    this.routes.set(path, listener);
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async listen(port: number, host?: string): Promise<number> {
    const server = createServer((req, res) => this.dispatch(req, res));
    server.on('error', (err) => this.logger.error({ err }, 'http server error'));
    const accept = await AcceptThread.listen(
      port,
      host,
      (socket) => server.emit('connection', socket),
      this.logger,
    );
    // The server does not listen itself; 'listening' starts its tracking of connections (idle and
    // header timeouts, closeAllConnections), as listen() would.
    server.emit('listening');
    this.server = server;
    this.accept = accept;
    return accept.port;
  }

  get port(): number | undefined {
    return this.accept?.port;
  }

  async close(): Promise<void> {
    const { server, accept } = this;
    if (!server || !accept) return;
    this.server = undefined;
    this.accept = undefined;
    server.close();
    server.closeAllConnections();
    await accept.close();
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const listener = this.routes.get(path);
    if (!listener) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    try {
      const result = listener(req, res) as unknown;
      if (result instanceof Promise) result.catch((err: unknown) => this.fail(res, path, err));
    } catch (err) {
      this.fail(res, path, err);
    }
  }

  private fail(res: ServerResponse, path: string, err: unknown): void {
    this.logger.error({ err, path }, 'http handler failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error\n');
  }
}
