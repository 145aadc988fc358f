import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/**
 * The MCP server the MCP tests talk to, built with the SDK's own server side (McpServer), so every
 * request and result has the real protocol's shape. The same tools run over stdio
 * (tests/fixtures/mcp-stdio-server.ts) and HTTP (mcp-http-server.ts):
 *
 * - `echo {text}`: "echo: <text>" (readOnlyHint).
 * - `env_value {name}`: the server process's environment variable (stdio: what `env` passed).
 * - `header {name}`: a request header the server received (HTTP).
 * - `hang`: never answers until the client cancels; then reports through `onCancelled`.
 * - `crash`: the process exits in the middle of the call (stdio).
 * - `malformed`: answers with a result whose `content` is not a list.
 * - `picture` / `huge_picture`: an image (a 1×1 PNG / over 4 MB).
 * - `starts`: how many times this process has been initialized (connections counted).
 * - `weird.name/with.dots...` (long): a tool name the model APIs refuse as is.
 */

/** A 1×1 transparent PNG. */
export const PIXEL_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export const LONG_TOOL_NAME = `weird.name/with.dots.${'x'.repeat(80)}`;

export interface TestServerHooks {
  /** Headers of the request being served (HTTP only). */
  headers?: () => Record<string, string | string[] | undefined>;
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
    ({ name }) => {
      const value = hooks.headers?.()[name.toLowerCase()];
      return { content: [{ type: 'text', text: `${name}: ${String(value ?? '(absent)')}` }] };
    },
  );
  server.registerTool('hang', { description: 'Never answers.' }, (extra) => {
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
  server.registerTool('malformed', { description: 'Answers with a broken result.' }, () => {
    // Not a CallToolResult: `content` must be a list of blocks.
    return { content: 'this is not a list' } as never;
  });
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
