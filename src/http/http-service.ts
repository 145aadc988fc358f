import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

/**
 * The process's one HTTP server on `PORT`: Slack's HTTP-mode events and the operator endpoints
 * (`/healthz`, `/readyz`, `/metrics`) share it, each mounted at a path. An unknown path is a 404;
 * a handler that throws answers 500 and logs the reason, never the stack to the caller.
 */
export class HttpService {
  private readonly routes = new Map<string, RequestListener>();
  private server: Server | undefined;

  constructor(private readonly logger: Logger) {}

  /** Routes requests whose path (without the query) is exactly `path` to `listener`. */
  mount(path: string, listener: RequestListener): void {
    this.routes.set(path, listener);
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async listen(port: number, host?: string): Promise<number> {
    const server = createServer((req, res) => this.dispatch(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.logger.error({ err }, 'http server error'));
    return (server.address() as AddressInfo).port;
  }

  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
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
