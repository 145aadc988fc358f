import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { McpServerConfig } from '../config/mcp-schema.js';
import type { EnvSource } from '../config/substitute-env.js';
import type { Redact } from '../core/redact.js';
import type { AnyToolSpec } from '../core/tool-spec.js';
import { mcpToolSpec } from './mcp-tool-spec.js';
import { ServerConnection } from './server-connection.js';
import { skipReason } from './server-params.js';
import { exposedToolName } from './tool-names.js';

/** Where the manager puts the tools it finds: the registry's group of each server. */
export interface ToolSink {
  replaceGroup(group: string, specs: readonly AnyToolSpec[]): AnyToolSpec[];
}

/** A server's state for `doctor` and the logs. */
export interface McpServerStatus {
  name: string;
  state: 'connected' | 'disconnected' | 'skipped';
  detail?: string;
  tools: number;
}

/**
 * Every configured MCP server of one worker process, connected once and kept open: the tools of
 * each server join the registry as the group `mcp:<server>` when it connects (and are refreshed on
 * each reconnect). A server that fails to connect or to list its tools is logged and skipped; the
 * others load. Built once per process by the composition root; `close` ends every connection.
 */
export class McpManager {
  private readonly connections = new Map<string, ServerConnection>();
  private readonly skipped = new Map<string, string>();
  private readonly toolCounts = new Map<string, number>();
  private started: Promise<void> | undefined;

  constructor(
    servers: Readonly<Record<string, McpServerConfig>>,
    private readonly deps: { env: EnvSource; logger: Logger; redact: Redact; tools: ToolSink },
  ) {
    for (const [name, config] of Object.entries(servers)) {
      const reason = skipReason(config, deps.env);
      if (reason !== undefined) {
        this.skipped.set(name, reason);
        continue;
      }
      this.connections.set(
        name,
        new ServerConnection(name, config, {
          env: deps.env,
          logger: deps.logger,
          redact: deps.redact,
          events: { onTools: (server, tools) => this.publish(server, tools) },
        }),
      );
    }
  }

  /**
   * Connects every server in parallel; resolves when each has connected or failed (each within its
   * `connectTimeoutMs`), so the first turn starts with what answered and never waits longer. Calling
   * it again returns the same promise.
   */
  start(): Promise<void> {
    if (this.started) return this.started;
    for (const [name, reason] of this.skipped) {
      this.deps.logger.info({ mcpServer: name }, `MCP server ${name} not used: ${reason}`);
    }
    this.started = Promise.all([...this.connections.values()].map((c) => c.start())).then(() => undefined);
    return this.started;
  }

  status(): McpServerStatus[] {
    const out: McpServerStatus[] = [];
    for (const [name, detail] of this.skipped) out.push({ name, state: 'skipped', detail, tools: 0 });
    for (const [name, connection] of this.connections) {
      out.push({
        name,
        state: connection.connected ? 'connected' : 'disconnected',
        tools: this.toolCounts.get(name) ?? 0,
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.close()));
  }

  /** Turns a server's tool list into specs (hidden ones left out) and swaps its registry group. */
  private publish(server: string, tools: readonly Tool[]): void {
    const connection = this.connections.get(server);
    if (!connection) return;
    const { config } = connection;
    const hidden = new Set(config.hideTools);
    const specs: AnyToolSpec[] = [];
    const seen = new Set<string>();
    for (const tool of tools) {
      if (hidden.has(tool.name)) continue;
      if (tool.name.trim() === '') {
        this.deps.logger.warn(
          { mcpServer: server },
          `MCP server ${server} listed a tool without a name; left out`,
        );
        continue;
      }
      const exposed = exposedToolName(server, tool.name);
      if (seen.has(exposed)) continue;
      seen.add(exposed);
      specs.push(mcpToolSpec(server, config, tool, exposed, connection));
    }
    const refused = this.deps.tools.replaceGroup(`mcp:${server}`, specs);
    for (const spec of refused) {
      this.deps.logger.warn(
        { mcpServer: server, tool: spec.name },
        `MCP tool ${spec.name} left out: the name is taken`,
      );
    }
    this.toolCounts.set(server, specs.length - refused.length);
  }
}
