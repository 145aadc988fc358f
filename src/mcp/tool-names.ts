import { createHash } from 'node:crypto';

/** What the model APIs accept as a tool name (Anthropic's and OpenAI's rule). */
export const TOOL_NAME_RULE = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_NAME = 64;

/**
 * The name the model sees for an MCP tool: `<server>__<tool>`. MCP tool names may be up to 128
 * characters and hold `.` or `/`, which the model APIs refuse; such characters become `_`, and a name
 * that is too long, or that changed, ends in a short hash of the original, so two tools that differ
 * only in the dropped part still get different names. The server name is already safe (config rule).
 */
export function exposedToolName(server: string, tool: string): string {
  const cleaned = tool.replace(/[^a-zA-Z0-9_-]/g, '_');
  const plain = `${server}__${cleaned}`;
  if (cleaned === tool && plain.length <= MAX_NAME) return plain;
  const hash = createHash('sha256').update(tool).digest('hex').slice(0, 6);
  const room = MAX_NAME - server.length - 2 - hash.length - 1;
  return `${server}__${cleaned.slice(0, Math.max(1, room))}_${hash}`;
}
