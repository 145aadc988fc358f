import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpServerConfig } from '../config/mcp-schema.js';
import type { AnyToolSpec, ToolContext, ToolResult } from '../core/tool-spec.js';
import { trimOutput } from '../tools/shared/trim-output.js';
import { McpError } from './mcp-errors.js';
import { flattenResult } from './result-content.js';

/** A description longer than this is cut: it is paid for in every request of every turn. */
const MAX_DESCRIPTION_CHARS = 4_000;

/** The server a spec calls: one tool call, and the redactor that knows the server's own secrets. */
export interface McpToolTarget {
  call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>>;
  redact(text: string): string;
}

/**
 * The ToolSpec of one MCP tool: its own JSON Schema for the model, the server's approval policy,
 * and a handler that calls the server and flattens the result. A call is journaled as having side
 * effects (never re-run after a crash) unless the server marks the tool `readOnlyHint`.
 */
export function mcpToolSpec(
  server: string,
  config: McpServerConfig,
  tool: Tool,
  exposedName: string,
  target: McpToolTarget,
): AnyToolSpec {
  const readOnlyHint = tool.annotations?.readOnlyHint === true;
  const asks =
    config.needsApproval === true ||
    (Array.isArray(config.needsApproval) &&
      config.needsApproval.some((name) => name === tool.name || name === exposedName));
  const reason = asks
    ? `the ${server} MCP server's ${tool.name} asks first (mcpServers.${server}.needsApproval)`
    : undefined;
  return {
    name: exposedName,
    description: descriptionOf(server, tool),
    parameters: z.record(z.string(), z.unknown()),
    inputSchema: inputSchemaOf(tool),
    sideEffects: !readOnlyHint,
    // The research sub-agent may use a tool the server says only reads, unless the operator made it ask.
    ...(readOnlyHint && !asks ? { readOnly: true as const } : {}),
    needsApproval: () => reason,
    async execute(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
      let raw: Record<string, unknown>;
      try {
        raw = await target.call(tool.name, args, ctx.signal);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        if (err instanceof McpError)
          return { output: `MCP error (${err.code}): ${err.message}`, isError: true };
        throw err;
      }
      const flat = flattenResult(raw, exposedName);
      for (const image of flat.images) {
        await ctx.emit({
          type: 'attachment',
          toolCallId: ctx.toolCallId,
          tool: exposedName,
          name: image.name,
          mimeType: image.mimeType,
          dataBase64: image.dataBase64,
        });
      }
      // A server may echo what it was given (a header, an env value): those never reach the model.
      const output = trimOutput(target.redact(flat.text), undefined, 'ask the tool for less');
      return { output, ...(flat.isError ? { isError: true } : {}) };
    },
  };
}

function descriptionOf(server: string, tool: Tool): string {
  const own = tool.description?.trim() || tool.title?.trim() || tool.annotations?.title?.trim() || tool.name;
  const text = `${own}\n\n(MCP server "${server}", tool "${tool.name}")`;
  return text.length <= MAX_DESCRIPTION_CHARS ? text : `${text.slice(0, MAX_DESCRIPTION_CHARS - 1)}…`;
}

/** The server's schema as the model APIs want it: an object schema, without `$schema`. */
function inputSchemaOf(tool: Tool): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = tool.inputSchema as Record<string, unknown>;
  return { ...schema, type: 'object' };
}
