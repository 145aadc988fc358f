/**
 * Splits a streamed body into NDJSON events (`sbx-server` writes one JSON object per line and
 * flushes each): parsed objects in order, and a `malformed` marker for a line that is not a JSON
 * object, so the caller can say so instead of failing the whole command.
 */
export type NdjsonItem =
  { kind: 'event'; event: Record<string, unknown> } | { kind: 'malformed'; line: string };

export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<NdjsonItem> {
  const decoder = new TextDecoder();
  let buffered = '';
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== '') yield parse(line);
        newline = buffered.indexOf('\n');
      }
    }
    const rest = (buffered + decoder.decode()).trim();
    if (rest !== '') yield parse(rest);
  } finally {
    reader.releaseLock();
  }
}

function parse(line: string): NdjsonItem {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { kind: 'event', event: value as Record<string, unknown> };
    }
  } catch {
    // Reported as malformed below.
  }
  return { kind: 'malformed', line: line.slice(0, 200) };
}
