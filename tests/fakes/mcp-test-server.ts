import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';

/**
 * The MCP server the MCP tests talk to, built with the SDK's own server side (McpServer), so every
 * request and result has the real protocol's shape. The same tools run over stdio
 * (tests/fixtures/mcp-stdio-server.ts) and HTTP (mcp-http-server.ts):
 *
 * - `echo {text}`: "echo: <text>" (readOnlyHint).
 * - `env_value {name}`: the server process's environment variable (stdio: what `env` passed).
 * - `header {name}`: a header of the HTTP request that carried the call.
 * - `hang`: never answers until the client cancels; then reports through `onCancelled`.
 * - `crash`: the process exits in the middle of the call (stdio).
 * - `malformed`: answers with a result whose `content` is not a list (see `sendingMalformed`).
 * - `picture` / `huge_picture`: an image (a 1×1 PNG / over 4 MB).
 * - `grow`: registers the tool `grown`, so the server announces a changed tool list.
 * - `starts`: how many times this process has been initialized (connections counted).
 * - `weird.name/with.dots...` (long): a tool name the model APIs refuse as is.
 */

/** A 1×1 transparent PNG. */
export const PIXEL_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const MALFORMED_MARKER = '__send_this_result_malformed__';

/**
 * Wraps a server transport so the `malformed` tool's result goes out broken: `content` a string
 * instead of a list of blocks (a shape CallToolResult does not allow).
 */
export function sendingMalformed<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const result = (message as { result?: { content?: Array<{ text?: string }> } }).result;
    if (result?.content?.[0]?.text === MALFORMED_MARKER) {
      return send({ ...message, result: { content: 'this is not a list' } }, options);
    }
    return send(message, options);
  };
  return transport;
}

export const LONG_TOOL_NAME = `weird.name/with.dots.${'x'.repeat(80)}`;

export interface TestServerHooks {
  /** More tools by name, each answering "<name> ran" (the HF server's names, for hiding). */
  extraTools?: readonly string[];
  /** Called when a `hang` call has arrived (the positive signal that it is running). */
  onHangStarted?: () => void;
  /** Called when a `hang` call is cancelled by the client. */
  onCancelled?: () => void;
  /** How many initialize requests this server (process) has seen. */
  starts?: () => number;
  /** What `crash` does (stdio: exit the process). */
  crash?: () => void;
}

export function buildTestMcpServer(hooks: TestServerHooks = {}): McpServer {
  const server = new McpServer({ name: 'mlib-test-server', version: '1.0.0' });
  server.registerTool(
    'echo',
    {
      description: 'Echoes its text back.',
      inputSchema: { text: z.string().describe('what to echo'), times: z.number().int().optional() },
      annotations: { readOnlyHint: true },
    },
    ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] }),
  );
  server.registerTool(
    'env_value',
    { description: 'Reads an environment variable of the server.', inputSchema: { name: z.string() } },
    ({ name }) => ({ content: [{ type: 'text', text: `${name}=${process.env[name] ?? '(unset)'}` }] }),
  );
  server.registerTool(
    'header',
    { description: 'Reads a request header.', inputSchema: { name: z.string() } },
    ({ name }, extra) => {
      const value = extra.requestInfo?.headers[name.toLowerCase()];
      return { content: [{ type: 'text', text: `${name}: ${String(value ?? '(absent)')}` }] };
    },
  );
  // Registering after connect makes McpServer send notifications/tools/list_changed.
  server.registerTool('grow', { description: 'Adds the tool `grown`.' }, () => {
    server.registerTool('grown', { description: 'Added at run time.' }, () => ({
      content: [{ type: 'text', text: 'grown ran' }],
    }));
    return { content: [{ type: 'text', text: 'grew' }] };
  });
  for (const name of hooks.extraTools ?? []) {
    server.registerTool(name, { description: `The ${name} tool.` }, () => ({
      content: [{ type: 'text', text: `${name} ran` }],
    }));
  }
  server.registerTool('hang', { description: 'Never answers.' }, (extra) => {
    hooks.onHangStarted?.();
    return new Promise((_, reject) => {
      extra.signal.addEventListener('abort', () => {
        hooks.onCancelled?.();
        reject(new Error('cancelled'));
      });
    });
  });
  server.registerTool('crash', { description: 'Exits mid-call.' }, () => {
    hooks.crash?.();
    return new Promise(() => undefined);
  });
  // McpServer checks its own results, so the marker is bent into a broken one on the wire
  // (`sendingMalformed`), as a buggy server would send it.
  server.registerTool('malformed', { description: 'Answers with a broken result.' }, () => ({
    content: [{ type: 'text', text: MALFORMED_MARKER }],
  }));
  server.registerTool('picture', { description: 'Draws a picture.' }, () => ({
    content: [
      { type: 'text', text: 'here is the chart' },
      { type: 'image', data: PIXEL_PNG_BASE64, mimeType: 'image/png' },
    ],
  }));
  server.registerTool('huge_picture', { description: 'Draws a huge picture.' }, () => ({
    content: [{ type: 'image', data: 'A'.repeat(6 * 1024 * 1024), mimeType: 'image/png' }],
  }));
  server.registerTool('starts', { description: 'Counts initializations.' }, () => ({
    content: [{ type: 'text', text: `starts=${hooks.starts?.() ?? 0}` }],
    structuredContent: { starts: hooks.starts?.() ?? 0 },
  }));
  server.registerTool(LONG_TOOL_NAME, { description: 'A tool with an awkward name.' }, () => ({
    content: [{ type: 'text', text: 'awkward but fine' }],
  }));
  return server;
}
