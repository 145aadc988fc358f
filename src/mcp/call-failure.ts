import { ErrorCode, McpError as SdkError } from '@modelcontextprotocol/sdk/types.js';
import { McpError } from './mcp-errors.js';
import { reasonOf } from './open-client.js';

/**
 * What went wrong with one tool call, from what the SDK threw (the caller has already ruled out an
 * interrupt, which the SDK also reports as a timeout):
 * - the request's timeout → `mcp_timeout`;
 * - the connection closed under it (a stdio server exited) → `mcp_closed`;
 * - a result that fails CallToolResult's schema (the SDK throws the zod error) → `mcp_malformed`;
 * - a JSON-RPC error from the server → `mcp_call`, with the server's message;
 * - anything else is the transport failing (fetch refused, session gone) → `mcp_closed`.
 */
export function classifyCallFailure(server: string, tool: string, err: unknown, timeoutMs: number): McpError {
  const name = `${server}/${tool}`;
  const cause = { cause: err };
  if (err instanceof SdkError && err.code === Number(ErrorCode.RequestTimeout)) {
    return new McpError('mcp_timeout', server, `${name} gave no result within ${timeoutMs / 1000} s`, cause);
  }
  if (err instanceof SdkError && err.code === Number(ErrorCode.ConnectionClosed)) {
    const message = `the ${server} MCP server closed the connection during the call`;
    return new McpError('mcp_closed', server, message, cause);
  }
  if (isSchemaError(err)) {
    return new McpError(
      'mcp_malformed',
      server,
      `${name} returned a malformed result (${schemaIssues(err)})`,
      cause,
    );
  }
  if (err instanceof SdkError)
    return new McpError('mcp_call', server, `${name} failed: ${err.message}`, cause);
  return new McpError('mcp_closed', server, `${name} could not be reached: ${reasonOf(err)}`, cause);
}

/** An error the SDK raised for the protocol (as opposed to the transport underneath failing). */
export function isSdkError(err: unknown): boolean {
  return err instanceof SdkError || isSchemaError(err);
}

type SchemaError = { issues: Array<{ path: PropertyKey[]; message: string }> };

function isSchemaError(err: unknown): err is SchemaError {
  return typeof err === 'object' && err !== null && Array.isArray((err as { issues?: unknown }).issues);
}

function schemaIssues(err: SchemaError): string {
  return err.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
