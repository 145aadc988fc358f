import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { McpServerConfig } from '../config/mcp-schema.js';
import type { EnvSource } from '../config/substitute-env.js';
import { createRedactor, type Redact } from '../core/redact.js';
import { classifyCallFailure, isSdkError } from './call-failure.js';
import { listAllTools } from './list-tools.js';
import { McpError } from './mcp-errors.js';
import { openClient, reasonOf, type OpenClient } from './open-client.js';
import { resolveServer } from './server-params.js';

/** The waits between failed connects: 1 s, 2 s, 4 s, … at most 5 min. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 300_000;
/** The last stderr lines of a stdio server kept for the reason of a failed connect. */
const STDERR_LINES = 5;

/** What a connection tells its manager. */
export interface ConnectionEvents {
  /** The server's tools, after each successful connect. */
  onTools(server: string, tools: Tool[]): void;
}

/**
 * One configured MCP server for the life of the worker process: connected once, its tools listed,
 * kept open across turns and sessions. A connection that drops (the stdio process exits, the HTTP
 * session ends) is reopened by the next call; a connect that fails is retried in the background
 * with a growing wait, and calls in between fail at once instead of each waiting for a dead server.
 */
export class ServerConnection {
  private current: OpenClient | undefined;
  private connecting: Promise<Client> | undefined;
  private failures = 0;
  private lastFailure: { reason: string; retryAt: number } | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private ownRedact: Redact = (text) => text;
  private readonly stderrTail: string[] = [];

  constructor(
    readonly name: string,
    readonly config: McpServerConfig,
    private readonly deps: {
      env: EnvSource;
      logger: Logger;
      /** The app's redactor; this adds the server's own header and env values. */
      redact: Redact;
      events: ConnectionEvents;
    },
  ) {}

  /** The app's redactor plus this server's header and env values (known once it has connected). */
  redact(text: string): string {
    return this.ownRedact(this.deps.redact(text));
  }

  /** Connects (once; concurrent callers share the attempt). Never throws: a failure is logged. */
  async start(): Promise<void> {
    await this.client().catch(() => undefined);
  }

  /** Whether a session is open now. */
  get connected(): boolean {
    return this.current !== undefined;
  }

  /**
   * Calls one tool. `signal` is the turn's interrupt; `timeoutMs` bounds the call.
   *
   * @throws McpError (`mcp_timeout`, `mcp_closed`, `mcp_malformed`, `mcp_call`, `mcp_connect`,
   *   `mcp_config`) with a redacted message; an AbortError-like error when `signal` aborted.
   */
  async call(
    tool: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const client = await this.client();
    const timeout = this.config.timeoutMs;
    try {
      return await client.callTool({ name: tool, arguments: args }, undefined, {
        signal,
        timeout,
        maxTotalTimeout: timeout,
      });
    } catch (err) {
      // The SDK reports an abort as a timeout carrying the abort's reason: the signal tells them apart.
      if (signal.aborted) throw err;
      throw this.callFailure(tool, err, timeout);
    }
  }

  /** Closes the session (a stdio server's process ends) and stops retrying. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const open = this.current;
    this.current = undefined;
    await open?.client.close().catch(() => undefined);
  }

  private client(): Promise<Client> {
    if (this.current) return Promise.resolve(this.current.client);
    if (this.closed)
      return Promise.reject(new McpError('mcp_connect', this.name, 'the MCP client is shut down'));
    if (this.connecting) return this.connecting;
    if (this.lastFailure && Date.now() < this.lastFailure.retryAt) {
      const { reason, retryAt } = this.lastFailure;
      const next = Number.isFinite(retryAt)
        ? `the next attempt is in ${Math.ceil((retryAt - Date.now()) / 1000)} s`
        : 'fix mcpServers in the config and restart';
      return Promise.reject(
        new McpError(
          'mcp_connect',
          this.name,
          `the ${this.name} MCP server is unavailable (${reason}); ${next}`,
        ),
      );
    }

    this.connecting = this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    clearTimeout(this.retryTimer);
    const started = Date.now();
    try {
      const resolved = resolveServer(this.name, this.config, this.deps.env);
      this.ownRedact = createRedactor(resolved.secrets);
      this.stderrTail.length = 0;
      const open = await openClient(this.name, resolved.params, this.config.connectTimeoutMs, {
        onStderr: (chunk) => this.keepStderr(chunk),
        onToolListChanged: () => void this.refreshTools(),
      }).catch((err: unknown) => {
        throw this.withStderr(err);
      });
      const left = Math.max(1, this.config.connectTimeoutMs - (Date.now() - started));
      const tools = await listAllTools(open.client, left).catch(async (err: unknown) => {
        await open.client.close().catch(() => undefined);
        throw new McpError('mcp_connect', this.name, `tools/list failed: ${reasonOf(err)}`, { cause: err });
      });
      if (this.closed) {
        await open.client.close().catch(() => undefined);
        throw new McpError('mcp_connect', this.name, 'the MCP client is shut down');
      }
      open.client.onclose = () => this.dropped(open);
      this.current = open;
      this.failures = 0;
      this.lastFailure = undefined;
      this.deps.logger.info(
        { mcpServer: this.name, via: open.via, tools: tools.length },
        `MCP server ${this.name} connected (${open.via}, ${tools.length} tools)`,
      );
      this.deps.events.onTools(this.name, tools);
      return open.client;
    } catch (err) {
      throw this.connectFailed(err);
    }
  }

  /** Logs a failed connect, schedules the next attempt, and returns the error for the caller. */
  private connectFailed(err: unknown): McpError {
    const failure =
      err instanceof McpError ? err : new McpError('mcp_connect', this.name, reasonOf(err), { cause: err });
    const reason = this.redact(failure.message);
    const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures += 1;
    this.lastFailure = { reason, retryAt: Date.now() + wait };
    this.deps.logger.warn(
      { mcpServer: this.name, code: failure.code, retryInMs: wait },
      `MCP server ${this.name} skipped: ${reason}`,
    );
    if (!this.closed && failure.code !== 'mcp_config') {
      // Its tools appear once it answers; a config problem waits for a restart instead.
      this.retryTimer = setTimeout(() => {
        // The timer is the attempt the wait was for, even if it fires a millisecond early.
        if (this.lastFailure) this.lastFailure.retryAt = 0;
        void this.start();
      }, wait);
      this.retryTimer.unref();
    } else if (failure.code === 'mcp_config') {
      this.lastFailure.retryAt = Number.POSITIVE_INFINITY;
    }
    return new McpError(failure.code, this.name, reason, { cause: failure });
  }

  /** Reads the tool list again after the server said it changed; a failure keeps the old list. */
  private async refreshTools(): Promise<void> {
    const open = this.current;
    if (!open) return;
    try {
      const tools = await listAllTools(open.client, this.config.connectTimeoutMs);
      if (this.current === open) this.deps.events.onTools(this.name, tools);
    } catch (err) {
      this.deps.logger.warn(
        { mcpServer: this.name },
        `MCP server ${this.name}: reading the changed tool list failed: ${this.redact(reasonOf(err))}`,
      );
    }
  }

  /** The connection closed (process exit, network): the next call opens a new one at once. */
  private dropped(open: OpenClient): void {
    if (this.current !== open) return;
    this.current = undefined;
    if (!this.closed) {
      this.deps.logger.warn(
        { mcpServer: this.name },
        `MCP server ${this.name} disconnected; the next call reconnects`,
      );
    }
  }

  private callFailure(tool: string, err: unknown, timeoutMs: number): McpError {
    const failure = classifyCallFailure(this.name, tool, err, timeoutMs);
    // The transport failed (the HTTP server went away, its session expired): reopen next time.
    if (failure.code === 'mcp_closed' && !isSdkError(err)) void this.resetConnection();
    const message = this.redact(failure.message);
    this.deps.logger.warn({ mcpServer: this.name, tool, code: failure.code }, `MCP call failed: ${message}`);
    return new McpError(failure.code, this.name, message, { cause: failure.cause });
  }

  private async resetConnection(): Promise<void> {
    const open = this.current;
    this.current = undefined;
    await open?.client.close().catch(() => undefined);
  }

  /** A stdio server's stderr goes to the debug log, and its last lines into a failed connect's reason. */
  private keepStderr(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      this.stderrTail.push(line.slice(0, 300));
      if (this.stderrTail.length > STDERR_LINES) this.stderrTail.shift();
      this.deps.logger.debug(
        { mcpServer: this.name },
        `MCP ${this.name} stderr: ${this.redact(line.slice(0, 1000))}`,
      );
    }
  }

  private withStderr(err: unknown): unknown {
    if (this.stderrTail.length === 0 || !(err instanceof McpError)) return err;
    return new McpError(err.code, this.name, `${err.message}; stderr: ${this.stderrTail.join(' | ')}`, {
      cause: err,
    });
  }
}
