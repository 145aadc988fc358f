import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpError } from './mcp-errors.js';
import type { ServerParams } from './server-params.js';

/** Who the intern says it is in `initialize`. */
const CLIENT_INFO = { name: 'ml-intern-bot', version: '0.1.0' };

/** An initialized MCP session and how it got there. */
export interface OpenClient {
  client: Client;
  /** `streamable-http` or `sse` for `http` servers (which one answered), else `stdio`. */
  via: 'stdio' | 'streamable-http' | 'sse';
}

/**
 * Opens and initializes a client within `deadlineMs`. An `http` server is tried with Streamable HTTP
 * first and, when that fails, with the older HTTP+SSE transport (the SDK's advice for backwards
 * compatibility), both within the one deadline.
 *
 * @throws McpError `mcp_connect` with the reason (the SDK's message, which never carries headers).
 */
export async function openClient(
  server: string,
  params: ServerParams,
  deadlineMs: number,
  hooks: {
    /** A stdio server's stderr, from its first byte (the SDK would otherwise copy it to ours). */
    onStderr?: (chunk: Buffer) => void;
    /** The server said its tool list changed (`notifications/tools/list_changed`). */
    onToolListChanged?: () => void;
  } = {},
): Promise<OpenClient> {
  const deadline = Date.now() + deadlineMs;
  if (params.transport === 'stdio') {
    const transport = new StdioClientTransport({
      command: params.command,
      args: params.args,
      // The SDK's minimal environment (PATH, HOME, …) and the configured env: never our tokens.
      env: { ...getDefaultEnvironment(), ...params.env },
      stderr: 'pipe',
      ...(params.cwd ? { cwd: params.cwd } : {}),
    });
    if (hooks.onStderr) transport.stderr?.on('data', hooks.onStderr);
    return { client: await initialize(server, transport, deadline, hooks), via: 'stdio' };
  }
  const requestInit = { headers: params.headers };
  if (params.transport === 'http') {
    try {
      const transport = new StreamableHTTPClientTransport(params.url, { requestInit });
      return { client: await initialize(server, transport, deadline, hooks), via: 'streamable-http' };
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      // Fall through to SSE: an older server answers the POST with 404/405 or closes it.
    }
  }
  const transport = new SSEClientTransport(params.url, { requestInit });
  return { client: await initialize(server, transport, deadline, hooks), via: 'sse' };
}

async function initialize(
  server: string,
  transport: Transport,
  deadline: number,
  hooks: { onToolListChanged?: () => void },
): Promise<Client> {
  const onChanged = hooks.onToolListChanged;
  // The SDK's own refresh reads one page; the connection reads them all, so it only wants the signal.
  const client = new Client(
    CLIENT_INFO,
    onChanged ? { listChanged: { tools: { autoRefresh: false, onChanged: () => onChanged() } } } : {},
  );
  const left = Math.max(1, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new McpError('mcp_connect', server, `no answer to initialize within ${left} ms`)),
      left,
    );
  });
  try {
    // connect() starts the transport (spawn, SSE stream) before it sends initialize; the race
    // bounds both, and the request's own timeout stops the SDK waiting too.
    await Promise.race([client.connect(transport, { timeout: left }), timeout]);
    return client;
  } catch (err) {
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    if (err instanceof McpError) throw err;
    throw new McpError('mcp_connect', server, reasonOf(err), { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/** A short reason from an SDK or system error: its message, or the code of a spawn failure. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${code && !err.message.includes(String(code)) ? ` [${code}]` : ''}${cause}`;
  }
  return String(err);
}
