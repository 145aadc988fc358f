import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { envelopeId } from './fake-slack-ids.js';

/** The path of the Socket Mode endpoint on the fake's server. */
export const SOCKET_PATH = '/socket';

/** An envelope as Slack sends it over Socket Mode. */
export interface SocketEnvelope {
  envelope_id: string;
  type: 'events_api' | 'interactive' | 'slash_commands';
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketSendOptions {
  /** How long to wait for a connection and then for the ack (default 5000 ms). */
  timeoutMs?: number;
}

export interface EventsApiSendOptions extends SocketSendOptions {
  /** Slack counts redeliveries from 0; Bolt exposes it as `context.retryNum`. */
  retryAttempt?: number;
  /** `timeout`, `http_error`, ...; Bolt exposes it as `context.retryReason`. */
  retryReason?: string;
}

/**
 * The Socket Mode side of the fake: a WebSocket endpoint that greets each client with `hello`,
 * delivers envelopes, and resolves each send with the `payload` of the client's ack
 * (`{ envelope_id, payload }` — `{}` for a bare `ack()`, `{ response_action, ... }` for modals).
 */
export interface FakeSlackSocket {
  /**
   * Resolves once a client holds an open connection that got its `hello`; with `count`, once that
   * many connections were made in total (a reconnect test waits for `count: 2`).
   */
  connected(options?: { count?: number; timeoutMs?: number }): Promise<void>;
  /** Connections greeted so far, closed ones included. */
  readonly connectionCount: number;
  /** Connections open now. */
  readonly openConnections: number;
  /** Every envelope sent, in order. */
  readonly envelopes: readonly SocketEnvelope[];
  /** Every frame clients sent (acks), parsed. */
  readonly received: readonly unknown[];
  /** Delivers an `event_callback` body as an `events_api` envelope; resolves with the ack payload. */
  sendEventsApi(body: unknown, options?: EventsApiSendOptions): Promise<Record<string, unknown>>;
  /** Delivers a `block_actions` / `view_submission` / ... payload as an `interactive` envelope. */
  sendInteractive(payload: unknown, options?: SocketSendOptions): Promise<Record<string, unknown>>;
  /** Delivers a slash command payload as a `slash_commands` envelope. */
  sendSlashCommand(payload: unknown, options?: SocketSendOptions): Promise<Record<string, unknown>>;
  /** Sends `{type:'disconnect', reason}` to every client; Slack does this before recycling a host. */
  sendDisconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  /** Closes every connection from the server side (as a network drop or a Slack restart would). */
  disconnectAll(): Promise<void>;
}

interface PendingAck {
  resolve: (payload: Record<string, unknown>) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  count: number;
  resolve: () => void;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** The Socket Mode server; `attach` it to the HTTP server the Web API runs on. */
export class SocketModeServer implements FakeSlackSocket {
  readonly envelopes: SocketEnvelope[] = [];
  readonly received: unknown[] = [];
  connectionCount = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly open = new Set<WebSocket>();
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, PendingAck>();
  private waiters: Waiter[] = [];

  /**
   * @param onEventsApi sees every `events_api` body before it goes out (the fake records the
   *   user's message in its workspace, as Slack has it before it tells the app).
   */
  constructor(
    private readonly baseWsUrl: string,
    private readonly appId: string,
    private readonly onEventsApi: (body: unknown) => void = () => {},
  ) {}

  get openConnections(): number {
    return this.open.size;
  }

  /** A single-use URL, as `apps.connections.open` hands out (`?ticket=...&app_id=...`). */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.baseWsUrl}${SOCKET_PATH}?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Handles an HTTP upgrade; refuses other paths and unknown or used tickets. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== SOCKET_PATH || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.open.add(ws);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(new Uint8Array(data));
      this.onFrame(bytes.toString('utf8'));
    });
    ws.on('close', () => this.open.delete(ws));
    ws.on('error', () => this.open.delete(ws));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.size,
        debug_info: { host: 'applink-fake-0', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.connectionCount += 1;
    this.notify();
  }

  private onFrame(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    this.received.push(frame);
    const id = (frame as { envelope_id?: unknown }).envelope_id;
    const pending = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (pending === undefined || typeof id !== 'string') return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    const payload = (frame as { payload?: unknown }).payload;
    pending.resolve(
      payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {},
    );
  }

  private notify(): void {
    const ready = this.open.size > 0;
    this.waiters = this.waiters.filter((w) => {
      if (!ready || this.connectionCount < w.count) return true;
      w.resolve();
      return false;
    });
  }

  connected(options: { count?: number; timeoutMs?: number } = {}): Promise<void> {
    const count = options.count ?? 1;
    if (this.open.size > 0 && this.connectionCount >= count) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`fake-slack: no Socket Mode connection (#${count}) within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  private async deliver(
    envelope: SocketEnvelope,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<Record<string, unknown>> {
    await this.connected({ timeoutMs });
    // Slack delivers each envelope on one of the app's connections: the newest here.
    const target = [...this.open].at(-1);
    if (target === undefined) throw new Error('fake-slack: no open Socket Mode connection');
    const ack = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.envelope_id);
        reject(new Error(`fake-slack: envelope ${envelope.type} not acked within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelope.envelope_id, { resolve, reject, timer });
    });
    this.envelopes.push(envelope);
    target.send(JSON.stringify(envelope));
    return ack;
  }

  sendEventsApi(body: unknown, options: EventsApiSendOptions = {}): Promise<Record<string, unknown>> {
    this.onEventsApi(body);
    return this.deliver(
      {
        envelope_id: envelopeId(),
        type: 'events_api',
        payload: body,
        accepts_response_payload: false,
        retry_attempt: options.retryAttempt ?? 0,
        retry_reason: options.retryReason ?? '',
      },
      options.timeoutMs,
    );
  }

  sendInteractive(payload: unknown, options: SocketSendOptions = {}): Promise<Record<string, unknown>> {
    const type = (payload as { type?: unknown }).type;
    return this.deliver(
      {
        envelope_id: envelopeId(),
        type: 'interactive',
        payload,
        // Only the payloads whose ack can carry an answer say so (modal response_action, options).
        accepts_response_payload: type === 'view_submission' || type === 'block_suggestion',
      },
      options.timeoutMs,
    );
  }

  sendSlashCommand(payload: unknown, options: SocketSendOptions = {}): Promise<Record<string, unknown>> {
    return this.deliver(
      { envelope_id: envelopeId(), type: 'slash_commands', payload, accepts_response_payload: true },
      options.timeoutMs,
    );
  }

  sendDisconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
    const frame = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-0' } });
    for (const ws of this.open) ws.send(frame);
  }

  async disconnectAll(): Promise<void> {
    await Promise.all(
      [...this.open].map(
        (ws) =>
          new Promise<void>((resolve) => {
            // A client that never answers the close frame is cut off, as a dropped link would be.
            const timer = setTimeout(() => ws.terminate(), 1000);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            ws.close(1001, 'going away');
          }),
      ),
    );
  }

  /**
   * Closes every connection (with a close handshake, so a client that is stopping does not log a
   * socket error), fails waiting sends, and closes the WebSocket server.
   */
  async close(): Promise<void> {
    await this.disconnectAll();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`fake-slack: closed before envelope ${id} was acked`));
    }
    this.pending.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
