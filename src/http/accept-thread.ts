import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { RelayedSocket, type RelayCommand } from './relayed-socket.js';

/**
 * The thread's code: plain JavaScript (`eval: true`), so it needs no TypeScript loader. It listens,
 * accepts, and relays each connection's bytes to the main thread and back; it parses nothing.
 */
const THREAD_SOURCE = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const sockets = new Map();
let nextId = 1;
const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
  const id = nextId++;
  sockets.set(id, socket);
  parentPort.postMessage({ t: 'open', id, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort });
  socket.on('data', (chunk) => {
    const data = new Uint8Array(chunk);
    parentPort.postMessage({ t: 'data', id, data }, [data.buffer]);
  });
  socket.on('end', () => parentPort.postMessage({ t: 'end', id }));
  socket.on('error', () => {});
  socket.on('close', () => {
    sockets.delete(id);
    parentPort.postMessage({ t: 'close', id });
  });
});
server.on('error', (err) => parentPort.postMessage({ t: 'failed', code: err.code, message: err.message }));
server.listen(workerData.port, workerData.host, () => parentPort.postMessage({ t: 'listening', port: server.address().port }));
parentPort.on('message', (m) => {
  if (m.t === 'shutdown') {
    server.close();
    for (const socket of sockets.values()) socket.destroy();
    parentPort.postMessage({ t: 'closed' });
    return;
  }
  const socket = sockets.get(m.id);
  if (!socket) return;
  if (m.t === 'write') socket.write(m.data);
  else if (m.t === 'end') socket.end();
  else if (m.t === 'destroy') socket.destroy();
  else if (m.t === 'pause') socket.pause();
  else if (m.t === 'resume') socket.resume();
});
`;

type ThreadMessage =
  | { t: 'listening'; port: number }
  | { t: 'failed'; code?: string; message: string }
  | { t: 'open'; id: number; remoteAddress?: string; remotePort?: number }
  | { t: 'data'; id: number; data: Uint8Array }
  | { t: 'end'; id: number }
  | { t: 'close'; id: number }
  | { t: 'closed' };

/**
 * Accepts the HTTP server's connections on a thread of its own. libuv (Node 20) accepts one
 * connection per turn of the event loop, so on a busy loop a burst of new connections waits in the
 * kernel's queue: 200 Slack deliveries at once took up to 4 s to be accepted while the gateway's
 * loop was rendering the first ones, and Slack retries what is not answered within 3 s. This thread's
 * loop does nothing else, so it accepts them at once; their bytes reach the main thread as messages,
 * a whole batch in one turn of its loop, where node:http parses and answers them as before (each
 * connection is a {@link RelayedSocket} handed to the server's 'connection' event).
 */
export class AcceptThread {
  private readonly sockets = new Map<number, RelayedSocket>();
  /** Resolves when the thread has dropped its connections: its answer to 'shutdown', or its exit. */
  private readonly stopped: Promise<void>;
  private stop!: () => void;
  private closing = false;

  private constructor(
    private readonly thread: Worker,
    readonly port: number,
  ) {
    this.stopped = new Promise((resolve) => (this.stop = resolve));
  }

  /** Starts the thread listening on `port`; each new connection is given to `onConnection`. */
  static async listen(
    port: number,
    host: string | undefined,
    onConnection: (socket: RelayedSocket) => void,
    logger: Logger,
  ): Promise<AcceptThread> {
    const thread = new Worker(THREAD_SOURCE, { eval: true, workerData: { port, host } });
    const [first] = (await once(thread, 'message')) as [ThreadMessage];
    if (first.t !== 'listening') {
      await thread.terminate();
      const message = first.t === 'failed' ? first.message : 'the accept thread did not start';
      throw Object.assign(new Error(message), first.t === 'failed' ? { code: first.code } : {});
    }
    const accept = new AcceptThread(thread, first.port);
    thread.on('message', (m: ThreadMessage) => accept.onMessage(m, onConnection));
    thread.on('error', (err) => logger.error({ err }, 'http accept thread failed'));
    // Without the thread no connection is accepted (and /readyz stops answering, so an orchestrator
    // restarts the process): say so, drop what it held, and let close() return at once.
    thread.once('exit', (code) => {
      if (!accept.closing) logger.error({ code }, 'http accept thread exited; no new connections');
      accept.dropConnections();
      accept.stop();
    });
    return accept;
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    this.closing = true;
    this.thread.postMessage({ t: 'shutdown' }); // a no-op once the thread is gone
    await this.stopped;
    this.dropConnections();
    await this.thread.terminate();
  }

  private dropConnections(): void {
    for (const socket of this.sockets.values()) socket.destroy();
  }

  private send = (command: RelayCommand, transfer?: ArrayBuffer[]): void => {
    this.thread.postMessage(command, transfer);
  };

  private onMessage(m: ThreadMessage, onConnection: (socket: RelayedSocket) => void): void {
    if (m.t === 'open') {
      const socket = new RelayedSocket(m.id, this.send, { ...m, localPort: this.port });
      this.sockets.set(m.id, socket);
      socket.once('close', () => this.sockets.delete(m.id));
      onConnection(socket);
      return;
    }
    if (m.t === 'closed') return this.stop();
    if (m.t !== 'data' && m.t !== 'end' && m.t !== 'close') return;
    const socket = this.sockets.get(m.id);
    if (!socket) return;
    if (m.t === 'data') socket.received(m.data);
    else if (m.t === 'end') socket.receivedEnd();
    else socket.closedByPeer();
  }
}
