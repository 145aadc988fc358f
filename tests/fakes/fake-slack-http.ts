import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/** A file part of a multipart request, as the fake keeps it. */
export interface UploadedPart {
  filename: string;
  bytes: Buffer;
}

/** Reads a whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes a JSON response the way the Web API does (always `application/json; charset=utf-8`). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Writes a plain text or HTML response. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * A form value the WebClient JSON-encoded: it flattens every object or array argument (`blocks`,
 * `view`, `chunks`, `files`, `metadata`) to a JSON string, so the fake decodes them back.
 */
function decodeFormValue(value: string): unknown {
  const first = value.trimStart()[0];
  if (first !== '[' && first !== '{') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function fromQuery(text: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseQuery(text))) {
    const one = Array.isArray(value) ? value[value.length - 1] : value;
    if (one !== undefined) args[key] = decodeFormValue(one);
  }
  return args;
}

/**
 * The arguments of a Web API call, from any of the encodings Slack accepts: query string,
 * `application/x-www-form-urlencoded` (what the WebClient sends), `application/json`, or
 * `multipart/form-data` (the WebClient's choice when an argument is a Buffer).
 */
export async function parseApiArgs(
  req: IncomingMessage,
  raw: Buffer,
): Promise<{ args: Record<string, unknown>; parts: UploadedPart[] }> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const args = fromQuery(url.search.slice(1));
  const parts: UploadedPart[] = [];
  const contentType = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { args, parts };
  if (contentType.startsWith('application/json')) {
    const body = JSON.parse(raw.toString('utf8')) as unknown;
    if (body !== null && typeof body === 'object') Object.assign(args, body);
  } else if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') args[key] = decodeFormValue(value);
      else {
        const bytes = Buffer.from(await value.arrayBuffer());
        parts.push({ filename: value.name, bytes });
        args[key] = { filename: value.name, size: bytes.length };
      }
    }
  } else {
    Object.assign(args, fromQuery(raw.toString('utf8')));
  }
  return { args, parts };
}

/** The token of a call: the `Authorization: Bearer` header, else a `token` argument. */
export function tokenOf(req: IncomingMessage, args: Record<string, unknown>): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return typeof args.token === 'string' && args.token !== '' ? args.token : undefined;
}
