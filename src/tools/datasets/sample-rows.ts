/**
 * Sample rows as short Markdown, each cell cut to {@link MAX_CELL_CHARS} (the reference's 150),
 * media cells as a short stand-in ([image 640×480]) instead of their long signed URLs, and, when there is a `messages`
 * column, the shape of its messages (roles, keys, tool calls, an example), as the reference does.
 */

export const MAX_CELL_CHARS = 150;
const MAX_EXAMPLE_CONTENT = 100;

export interface SampleRow {
  row: Record<string, unknown>;
  truncated_cells?: string[] | undefined;
}

export function renderSampleRows(heading: string, rows: readonly SampleRow[]): string {
  const lines = [heading];
  rows.forEach((wrapper, index) => {
    lines.push(`**Row ${index + 1}:**`);
    const cut = new Set(wrapper.truncated_cells ?? []);
    for (const [key, value] of Object.entries(wrapper.row)) {
      lines.push(`- ${key}: ${cellText(value)}${cut.has(key) ? ' (cut by the viewer)' : ''}`);
    }
  });
  const messages = rows
    .map((r) => Object.entries(r.row).find(([key]) => key.toLowerCase() === 'messages')?.[1])
    .find((value) => value !== undefined);
  const format = messages === undefined ? undefined : messagesFormat(messages);
  if (format) lines.push('', format);
  return lines.join('\n');
}

/** One cell on one line, at most {@link MAX_CELL_CHARS} characters. */
export function cellText(value: unknown): string {
  const text = media(value) ?? (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  const flat = text.replace(/\r?\n/g, '\\n');
  return flat.length > MAX_CELL_CHARS ? `${flat.slice(0, MAX_CELL_CHARS)}...` : flat;
}

/** Image, audio, video and PDF cells (`{src, …}` objects, see the viewer's Cell schemas). */
function media(value: unknown): string | undefined {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => isMediaObject(v) || v === null)) {
    const kinds = value.map((v) => (v === null ? 'null' : mediaKind(v as Record<string, unknown>)));
    return kinds.every((k) => k === 'audio') ? '[audio]' : `[${kinds.join(', ')}]`;
  }
  return isMediaObject(value) ? `[${mediaKind(value)}]` : undefined;
}

function isMediaObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { src?: unknown }).src === 'string'
  );
}

function mediaKind(cell: Record<string, unknown>): string {
  if (typeof cell.size_bytes === 'number' || cell.thumbnail !== undefined) return 'pdf';
  if (typeof cell.type === 'string' && cell.type.startsWith('audio')) return 'audio';
  if (typeof cell.width === 'number' && typeof cell.height === 'number')
    return `image ${cell.width}×${cell.height}`;
  if (typeof cell.type === 'string' && cell.type.startsWith('video')) return 'video';
  return /\.(mp4|webm|mov)(\?|$)/i.test(String(cell.src)) ? 'video' : 'image';
}

const COMMON_KEYS = ['role', 'content', 'tool_calls', 'tool_call_id', 'name', 'function_call'];

/** The structure of a `messages` value (a list of message objects, or its JSON text). */
export function messagesFormat(value: unknown): string | undefined {
  let messages = value;
  if (typeof messages === 'string') {
    try {
      messages = JSON.parse(messages) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const objects = messages.filter(
    (m): m is Record<string, unknown> => typeof m === 'object' && m !== null && !Array.isArray(m),
  );
  const roles = new Set<string>();
  const keys = new Set<string>();
  let toolCalls = false;
  let toolResults = false;
  for (const message of objects) {
    Object.keys(message).forEach((k) => keys.add(k));
    const role = typeof message.role === 'string' ? message.role : '';
    if (role) roles.add(role);
    if ('tool_calls' in message || 'function_call' in message) toolCalls = true;
    if (role === 'tool' || role === 'function' || Boolean(message.tool_call_id)) toolResults = true;
  }
  const lines = ['## Messages Column Format'];
  lines.push(`**Roles:** ${roles.size > 0 ? [...roles].sort().join(', ') : 'unknown'}`);
  lines.push(`**Message keys:** ${COMMON_KEYS.map((k) => `${k} ${keys.has(k) ? '✓' : '✗'}`).join(', ')}`);
  if (toolCalls) lines.push('**Tool calls:** ✓ Present');
  if (toolResults) lines.push('**Tool results:** ✓ Present');
  const example = exampleMessage(objects);
  if (example) {
    const clean = Object.fromEntries(
      Object.entries(example).map(([k, v]) => [
        k,
        k === 'content' && typeof v === 'string' && v.length > MAX_EXAMPLE_CONTENT
          ? `${v.slice(0, MAX_EXAMPLE_CONTENT)}...`
          : v,
      ]),
    );
    lines.push('', '**Example message structure:**', '```json', JSON.stringify(clean, null, 2), '```');
  }
  return lines.join('\n');
}

/** A message with tool calls, else the first assistant message, else the first non-system one. */
function exampleMessage(messages: Record<string, unknown>[]): Record<string, unknown> | undefined {
  let assistant: Record<string, unknown> | undefined;
  let fallback: Record<string, unknown> | undefined;
  for (const message of messages) {
    if (message.tool_calls || message.function_call) return message;
    if (message.role === 'assistant') assistant ??= message;
    else if (message.role !== 'system') fallback ??= message;
  }
  return assistant ?? fallback;
}
