import type { IncomingMessage, ServerResponse } from 'node:http';

/** A file part of a multipart request (`files[n]`), as the fake keeps it. */
export interface FakeDiscordUpload {
  /** The form key: `files[0]`, `files[1]`... (the index is the `attachments[].id` it belongs to). */
  field: string;
  filename: string;
  contentType: string | undefined;
  bytes: Buffer;
}

/** What a route answers: status, JSON body (none for 204), extra headers. */
export interface RouteAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Reads a whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes an answer: JSON with `application/json` (discord.js parses only that), or an empty 204. */
export function writeAnswer(res: ServerResponse, answer: RouteAnswer): void {
  if (answer.body === undefined) {
    res.writeHead(answer.status, { ...answer.headers });
    res.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  });
  res.end(text);
}

/**
 * The body of a request as Discord reads it: JSON, or `multipart/form-data` whose `payload_json`
 * part is the JSON and whose `files[n]` parts are uploads (what @discordjs/rest sends with files).
 */
export async function parseBody(
  req: IncomingMessage,
  raw: Buffer,
): Promise<{ body: unknown; files: FakeDiscordUpload[] }> {
  const contentType = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    let body: unknown = {};
    const fields: Record<string, unknown> = {};
    const files: FakeDiscordUpload[] = [];
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        if (key === 'payload_json') body = JSON.parse(value) as unknown;
        else fields[key] = value;
      } else {
        const bytes = Buffer.from(await value.arrayBuffer());
        // FormData labels a part without a type `application/octet-stream`: treat that as unknown.
        const type = value.type === '' || value.type === 'application/octet-stream' ? undefined : value.type;
        files.push({ field: key, filename: value.name, contentType: type, bytes });
      }
    }
    if (typeof body === 'object' && body !== null) Object.assign(body, fields);
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
}

/** Discord's error body: `{ message, code }`, plus `errors` for form validation (code 50035). */
export function apiError(status: number, code: number, message: string, errors?: unknown): RouteAnswer {
  return { status, body: errors === undefined ? { message, code } : { message, code, errors } };
}

/** A 50035 "Invalid Form Body" for one field path (`content`, `components.0.components.1.custom_id`). */
export function invalidForm(path: string, code: string, message: string): RouteAnswer {
  const errors: Record<string, unknown> = {};
  let node = errors;
  const keys = path.split('.');
  keys.forEach((key, index) => {
    const next: Record<string, unknown> = index === keys.length - 1 ? { _errors: [{ code, message }] } : {};
    node[key] = next;
    node = next;
  });
  return apiError(400, 50035, 'Invalid Form Body', errors);
}

/** The common errors, with Discord's codes and messages. */
export const ERRORS = {
  unauthorized: (): RouteAnswer => apiError(401, 0, '401: Unauthorized'),
  notFound: (): RouteAnswer => apiError(404, 0, '404: Not Found'),
  methodNotAllowed: (): RouteAnswer => apiError(405, 0, '405: Method Not Allowed'),
  missingAccess: (): RouteAnswer => apiError(403, 50001, 'Missing Access'),
  unknownChannel: (): RouteAnswer => apiError(404, 10003, 'Unknown Channel'),
  unknownMessage: (): RouteAnswer => apiError(404, 10008, 'Unknown Message'),
  unknownUser: (): RouteAnswer => apiError(404, 10013, 'Unknown User'),
  unknownGuild: (): RouteAnswer => apiError(404, 10004, 'Unknown Guild'),
  unknownMember: (): RouteAnswer => apiError(404, 10007, 'Unknown Member'),
  unknownWebhook: (): RouteAnswer => apiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: (): RouteAnswer => apiError(404, 10062, 'Unknown interaction'),
  unknownCommand: (): RouteAnswer => apiError(404, 10063, 'Unknown application command'),
  alreadyAcknowledged: (): RouteAnswer => apiError(400, 40060, 'Interaction has already been acknowledged.'),
  invalidWebhookToken: (): RouteAnswer => apiError(401, 50027, 'Invalid Webhook Token'),
  emptyMessage: (): RouteAnswer => apiError(400, 50006, 'Cannot send an empty message'),
  otherUsersMessage: (): RouteAnswer =>
    apiError(403, 50005, 'Cannot edit a message authored by another user'),
  wrongChannelType: (): RouteAnswer => apiError(400, 50024, 'Cannot execute action on this channel type'),
  threadExists: (): RouteAnswer =>
    apiError(400, 160004, 'A thread has already been created for this message'),
  threadArchived: (): RouteAnswer => apiError(400, 50083, 'Thread is archived'),
  threadLocked: (): RouteAnswer => apiError(403, 160005, 'Thread is locked'),
  tooLarge: (): RouteAnswer => apiError(413, 40005, 'Request entity too large'),
};
