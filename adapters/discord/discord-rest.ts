import { RESTEvents, type REST } from 'discord.js';
import type { Metrics } from '../../src/core/metrics.js';
import { redactDeep } from '../../src/core/redact.js';

type Request = Parameters<REST['queueRequest']>[0];
type RawFile = NonNullable<Request['files']>[number];

const SERVICE = 'discord';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Makes the client's REST manager the adapter's one outbound point: every request discord.js makes
 * (sends, edits, replies, follow-ups, thread names, uploads) passes `REST#queueRequest`, so wrapping
 * it once redacts every string of every body, deep, and every text upload, whichever code path
 * built the request. It also counts each response (`apiCall`: ok, error or rate_limited for a
 * 429) and each retry discord.js makes after a 429 or a 5xx (`apiRetry`).
 */
export function instrumentRest(rest: REST, redact: (text: string) => string, metrics: Metrics): void {
  const queue = rest.queueRequest.bind(rest);
  rest.queueRequest = (request: Request) => queue(redactRequest(request, redact));
  rest.on(RESTEvents.Response, (request, response) => {
    const route = `${request.method.toUpperCase()} ${request.route}`;
    const status = response.status;
    metrics.apiCall(SERVICE, route, status === 429 ? 'rate_limited' : response.ok ? 'ok' : 'error');
    // @discordjs/rest waits out every 429 and retries a 5xx until its `retries` option is spent.
    if (status === 429 || (status >= 500 && request.retries < rest.options.retries))
      metrics.apiRetry(SERVICE);
  });
}

/** The request with its body's strings, its audit-log reason and its text files redacted. */
export function redactRequest(request: Request, redact: (text: string) => string): Request {
  return {
    ...request,
    ...(request.body !== undefined ? { body: redactDeep(redact, request.body) } : {}),
    ...(request.reason !== undefined ? { reason: redact(request.reason) } : {}),
    ...(request.files !== undefined ? { files: request.files.map((f) => redactFile(f, redact)) } : {}),
  };
}

/** A text upload (valid UTF-8) is redacted; binary files (images...) go as they are. */
function redactFile(file: RawFile, redact: (text: string) => string): RawFile {
  const name = redact(file.name);
  if (typeof file.data === 'string') return { ...file, name, data: redact(file.data) };
  if (!(file.data instanceof Uint8Array)) return { ...file, name };
  let text: string;
  try {
    text = utf8.decode(file.data);
  } catch {
    return { ...file, name };
  }
  const clean = redact(text);
  return { ...file, name, data: clean === text ? file.data : Buffer.from(clean, 'utf8') };
}
