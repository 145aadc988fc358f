import { MlInternError } from '../core/errors.js';

/**
 * Why an MCP server or call failed, as the model and the logs see it. Messages never hold header or
 * environment values (they are built from names and the server's own words, then redacted).
 *
 * - `mcp_config`: a `${VAR}` is unset or a field is unusable once substituted (bad URL).
 * - `mcp_connect`: the server could not be started or reached, or did not list its tools in time.
 * - `mcp_timeout`: a call passed its `timeoutMs`.
 * - `mcp_closed`: the connection dropped during a call (a stdio server exited).
 * - `mcp_malformed`: the server answered with something that is not a tool result.
 * - `mcp_call`: any other failure of a call (the server's JSON-RPC error).
 */
export type McpErrorCode =
  'mcp_config' | 'mcp_connect' | 'mcp_timeout' | 'mcp_closed' | 'mcp_malformed' | 'mcp_call';

export class McpError extends MlInternError {
  declare readonly code: McpErrorCode;
  readonly server: string;
  constructor(code: McpErrorCode, server: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.server = server;
  }
}
