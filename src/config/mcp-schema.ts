import { z } from 'zod';

/**
 * `mcpServers.<name>`: one MCP server, in the reference agent's format (`transport`, then `command`,
 * `args`, `env` for stdio or `url`, `headers` for HTTP). `${VAR}` in those fields is left as written
 * when the config loads and substituted when the server connects (src/mcp/server-params.ts), so a
 * server whose variables are unset is skipped instead of failing the whole config.
 */

/**
 * Server names become the `<server>__` prefix of tool names, which the model APIs restrict to
 * `^[a-zA-Z0-9_-]{1,64}$`; 24 characters leave the tool's own name room. No `__` inside, so the
 * prefix ends where the reader expects.
 */
export const MCP_SERVER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]|_(?!_)){0,23}$/;
const SERVER_NAME_MESSAGE =
  'must be 1-24 letters, digits, "-" or "_" (no "__"), starting with a letter or digit: it prefixes the tool names';

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

const commonFields = {
  /** False keeps the entry in the config but never connects. */
  enabled: z.boolean().default(true),
  /** The server is used only when each of these variables is set (the HF server: `HF_TOKEN`). */
  requiresEnv: z.array(variableName).default([]),
  /** `true`: every tool asks a human first; a list: those tools (their MCP names) ask. */
  needsApproval: z.union([z.boolean(), z.array(z.string().min(1))]).default(false),
  /** Tools (their MCP names) never shown to the model, e.g. ones that duplicate built-in tools. */
  hideTools: z.array(z.string().min(1)).default([]),
  /** One call's deadline. */
  timeoutMs: z.number().int().min(100).max(3_600_000).default(120_000),
  /** How long a connection (and its tool list) may take before the server is skipped for now. */
  connectTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
};

const stdioServer = z.strictObject({
  transport: z.literal('stdio'),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  /** Added to a minimal environment (PATH, HOME, …): the worker's own tokens are not passed on. */
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().min(1).optional(),
  ...commonFields,
});

const httpServer = z.strictObject({
  /** `http`: Streamable HTTP, falling back to SSE for older servers; `sse`: SSE only. */
  transport: z.enum(['http', 'sse']),
  /** Checked once substituted, at connect time (it may hold `${VAR}`). */
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).default({}),
  ...commonFields,
});

export const mcpServerSchema = z.discriminatedUnion('transport', [stdioServer, httpServer], {
  error: 'transport must be "stdio", "http" or "sse"',
});

export const mcpServersSchema = z
  .record(z.string(), mcpServerSchema)
  // Checked here rather than as the record's key schema, whose issue reads "Invalid key in record".
  .superRefine(
    (servers, ctx) => {
      if (typeof servers !== 'object' || servers === null) return;
      for (const name of Object.keys(servers)) {
        if (!MCP_SERVER_NAME.test(name))
          ctx.addIssue({ code: 'custom', path: [name], message: SERVER_NAME_MESSAGE });
      }
    },
    // Also when a server's fields are wrong, so that one pass names every problem.
    { when: () => true },
  )
  .default({});

export type McpServerConfig = z.infer<typeof mcpServerSchema>;
export type McpStdioServerConfig = z.infer<typeof stdioServer>;
export type McpHttpServerConfig = z.infer<typeof httpServer>;
