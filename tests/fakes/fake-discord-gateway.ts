import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes } from 'discord.js';
import type { GatewayIdentifyData } from 'discord.js';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { sessionId } from './fake-discord-ids.js';
import { identifyRefusal } from './fake-discord-intents.js';
import { GatewayEncoder } from './fake-discord-gateway-codec.js';
import type { GatewaySession } from './fake-discord-gateway-api.js';

/** What the gateway needs from the rest of the fake. */
export interface GatewayConfig {
  token: string;
  heartbeatIntervalMs: number;
  /** The privileged intent bits the app may use (its developer-portal toggles). */
  allowedPrivileged: number;
  ready(session: GatewaySession, resumeUrl: string): unknown;
  /** GUILD_CREATE bodies, sent after READY to sessions with the Guilds intent. */
  guildCreates(session: GatewaySession): unknown[];
}

interface Connection {
  ws: WebSocket;
  encoder: GatewayEncoder;
  session: GatewaySession | undefined;
  /** Set when the fake closed it (its code is in `closeCodes`, not `clientCloseCodes`). */
  closedByServer: boolean;
}

/** A gateway payload: op, and `d`, `s`, `t` as each op needs. */
type Payload = { op: number } & Record<string, unknown>;

const toText = (data: RawData): string =>
  (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString(
    'utf8',
  );

/** The gateway: HELLO, IDENTIFY/RESUME, heartbeats, READY + GUILD_CREATE, dispatches with seq. */
export class GatewayServer {
  readonly identifies: GatewayIdentifyData[] = [];
  /** Every payload clients sent (heartbeats included), parsed. */
  readonly received: Array<{ op: number; d: unknown }> = [];
  /** Every dispatch sent or queued for replay: session, seq, event name, body. */
  readonly dispatched: Array<{ sessionId: string; s: number; t: string; d: unknown }> = [];
  /** Close codes the fake closed connections with (4004, 4014...). */
  readonly closeCodes: number[] = [];
  /** Close codes clients closed with (1000 on `client.destroy()`, 4200 when resuming). */
  readonly clientCloseCodes: number[] = [];
  readonly sessions: GatewaySession[] = [];
  heartbeats = 0;
  connectionCount = 0;
  readyCount = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly open = new Set<Connection>();
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  /** Upgrades parked by {@link holdConnections}, answered on release. */
  private held: Array<{ req: IncomingMessage; socket: Duplex; head: Buffer }> | undefined;

  constructor(
    readonly url: string,
    private readonly config: GatewayConfig,
  ) {}

  /** The IDENTIFY payload of the latest session (`intents` is what the client asked for). */
  get identify(): GatewayIdentifyData | undefined {
    return this.identifies.at(-1);
  }

  get openConnections(): number {
    return this.open.size;
  }

  /** Accepts `ws://host:port/?v=10&encoding=json[&compress=zlib-stream]`, as @discordjs/ws builds it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.held !== undefined) {
      this.held.push({ req, socket, head });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, url.searchParams));
  }

  private accept(ws: WebSocket, params: URLSearchParams): void {
    const compress = params.get('compress') === 'zlib-stream' ? 'zlib-stream' : 'none';
    const conn: Connection = {
      ws,
      encoder: new GatewayEncoder(compress),
      session: undefined,
      closedByServer: false,
    };
    this.open.add(conn);
    this.connectionCount += 1;
    ws.on('message', (data) => this.onPayload(conn, toText(data)));
    ws.on('close', (code) => this.onClose(conn, code));
    ws.on('error', () => undefined);
    if (!['9', '10'].includes(params.get('v') ?? '10'))
      return this.closeWith(conn, GatewayCloseCodes.InvalidAPIVersion);
    if ((params.get('encoding') ?? 'json') !== 'json')
      return this.closeWith(conn, GatewayCloseCodes.DecodeError);
    void this.send(conn, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.config.heartbeatIntervalMs, _trace: ['["fake-gateway",{}]'] },
      s: null,
      t: null,
    });
  }

  private send(conn: Connection, payload: Payload): Promise<void> {
    return conn.encoder.send(
      payload,
      (frame) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState !== conn.ws.OPEN) return resolve();
          conn.ws.send(frame, () => resolve());
        }),
    );
  }

  private closeWith(conn: Connection, code: number): void {
    this.closeCodes.push(code);
    conn.closedByServer = true;
    conn.ws.close(code, GatewayCloseCodes[code] ?? 'closed');
  }

  private onClose(conn: Connection, code: number): void {
    this.open.delete(conn);
    conn.encoder.close();
    if (!conn.closedByServer) this.clientCloseCodes.push(code);
    const session = conn.session;
    if (session === undefined) return;
    session.live = false;
    // A client closing with 1000/1001 ends its session; other codes (4200...) mean "I'll resume".
    if (code === 1000 || code === 1001) session.resumable = false;
  }

  private onPayload(conn: Connection, text: string): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(text) as { op?: unknown; d?: unknown };
    } catch {
      return this.closeWith(conn, GatewayCloseCodes.DecodeError);
    }
    const op = (typeof payload.op === 'number' ? payload.op : -1) as GatewayOpcodes;
    this.received.push({ op, d: payload.d });
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeats += 1;
        void this.send(conn, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        return void this.onIdentify(conn, payload.d as GatewayIdentifyData);
      case GatewayOpcodes.Resume:
        return void this.onResume(conn, payload.d as { token: string; session_id: string; seq: number });
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
        if (conn.session === undefined) this.closeWith(conn, GatewayCloseCodes.NotAuthenticated);
        return;
      default:
        return this.closeWith(conn, GatewayCloseCodes.UnknownOpcode);
    }
  }

  private async onIdentify(conn: Connection, d: GatewayIdentifyData): Promise<void> {
    if (conn.session !== undefined) return this.closeWith(conn, GatewayCloseCodes.AlreadyAuthenticated);
    this.identifies.push(d);
    const refusal = identifyRefusal(d, this.config.token, this.config.allowedPrivileged);
    if (refusal !== undefined) return this.closeWith(conn, refusal);
    if (d.compress === true) conn.encoder.enablePayloadCompression();
    const session: GatewaySession = {
      id: sessionId(),
      intents: d.intents,
      identify: d,
      seq: 0,
      events: [],
      live: true,
      resumable: true,
      compression: conn.encoder.mode,
    };
    conn.session = session;
    this.sessions.push(session);
    const sends = [
      this.sendDispatch(session, GatewayDispatchEvents.Ready, this.config.ready(session, this.url)),
    ];
    for (const guild of this.config.guildCreates(session)) {
      sends.push(this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, guild));
    }
    await Promise.all(sends);
    this.readyCount += 1;
    this.waiters = this.waiters.filter((w) => (this.readyCount >= w.count ? (w.resolve(), false) : true));
  }

  private async onResume(
    conn: Connection,
    d: { token: string; session_id: string; seq: number },
  ): Promise<void> {
    const session = this.sessions.find((s) => s.id === d.session_id);
    if (d.token !== this.config.token) return this.closeWith(conn, GatewayCloseCodes.AuthenticationFailed);
    if (session === undefined || !session.resumable) {
      // Not resumable: the client waits, then identifies anew.
      await this.send(conn, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    // A resume takes the session over from a connection that has not noticed it is dead yet.
    for (const old of this.open) {
      if (old !== conn && old.session === session) {
        old.session = undefined;
        old.ws.terminate();
      }
    }
    conn.session = session;
    session.live = true;
    session.compression = conn.encoder.mode;
    for (const event of session.events) {
      if (event.s > d.seq) void this.send(conn, { op: GatewayOpcodes.Dispatch, ...event });
    }
    await this.sendDispatch(session, GatewayDispatchEvents.Resumed, null);
  }

  /** Numbers a dispatch for one session, keeps it for replay, sends it if the session is live. */
  private sendDispatch(session: GatewaySession, t: string, d: unknown): Promise<void> {
    session.seq += 1;
    const event = { s: session.seq, t, d };
    session.events.push(event);
    this.dispatched.push({ sessionId: session.id, ...event });
    const conn = [...this.open].find((c) => c.session === session);
    if (conn === undefined || !session.live) return Promise.resolve();
    return this.send(conn, { op: GatewayOpcodes.Dispatch, ...event });
  }

  /**
   * Sends an event to every session that is live or may resume (it is replayed then). `build`
   * shapes the body per session, or returns undefined to skip it (intents). Returns how many got it.
   */
  broadcast(t: string, build: (session: GatewaySession) => unknown): number {
    let count = 0;
    for (const session of this.sessions) {
      if (!session.live && !session.resumable) continue;
      const body = build(session);
      if (body === undefined) continue;
      void this.sendDispatch(session, t, body);
      count += 1;
    }
    return count;
  }

  /** Resolves once `count` (default 1) sessions got READY and their GUILD_CREATEs. */
  ready(options: { count?: number; timeoutMs?: number } = {}): Promise<void> {
    const count = options.count ?? 1;
    if (this.readyCount >= count) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`fake-discord: no READY (#${count}) within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends op 7 RECONNECT: discord.js closes with 4200 and RESUMEs on `resume_gateway_url`. */
  requestReconnect(): void {
    for (const conn of this.open)
      void this.send(conn, { op: GatewayOpcodes.Reconnect, d: null, s: null, t: null });
  }

  /** Sends op 9 INVALID_SESSION (`resumable` false: the client identifies anew). */
  invalidateSession(resumable = false): void {
    for (const conn of this.open) {
      if (conn.session !== undefined && !resumable) conn.session.resumable = false;
      void this.send(conn, { op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null });
    }
  }

  /** New connections wait (as during a Discord outage) until {@link releaseConnections}. */
  holdConnections(): void {
    this.held ??= [];
  }

  releaseConnections(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const { req, socket, head } of held) this.handleUpgrade(req, socket, head);
  }

  /** Closes every connection with `code` (default 4000 Unknown error: discord.js resumes). */
  disconnect(code: number = GatewayCloseCodes.UnknownError): void {
    for (const conn of this.open) this.closeWith(conn, code);
  }

  async close(): Promise<void> {
    for (const { socket } of this.held ?? []) socket.destroy();
    this.held = undefined;
    for (const conn of this.open) conn.ws.terminate();
    this.open.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
