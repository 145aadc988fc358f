import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, unzipSync } from 'node:zlib';
import { BufferedResponse } from './buffered-response.js';
import { contentCoding } from './content-coding.js';
import {
  KeepAliveTransport,
  type Answered,
  type Fetch,
  type KeepAliveFetchOptions,
} from './keep-alive-transport.js';
import { NULL_BODY_STATUSES } from './response-base.js';
import { ResponseHeaders } from './response-headers.js';

export type { Fetch, KeepAliveFetchOptions };

/**
 * A `fetch` for calls whose answer is read whole (the Slack Web API), over {@link KeepAliveTransport}:
 * node:http with a keep-alive agent per protocol. Node's own fetch (undici over web streams) spends
 * ~0.24 ms more CPU per request (0.45 vs 0.21 ms a chat.postMessage, 200 at once against the fake
 * Slack), and the gateway renders answers for hundreds of threads at once, where that CPU is what
 * limits it.
 *
 * It behaves as `fetch` does for what it handles (see the transport), with `redirect: 'error'` (a
 * 3xx rejects) or `'manual'` (the 3xx is the answer); redirects to follow (fetch's default) go to
 * the fallback. The promise settles once the whole body is in: a cut-off body fails the call as
 * fetch fails it. The answer is a {@link BufferedResponse}: a Response that builds nothing until asked.
 *
 * Each call of this function makes its own agents; their idle sockets do not keep the process alive.
 */
export function keepAliveFetch(options: KeepAliveFetchOptions = {}): Fetch {
  return new KeepAliveTransport(options).fetch(false, answerWhole);
}

/** Reads the whole body, then settles the call with it. */
const answerWhole: Answered = (answer, _request, settle, call) => {
  const headers = new ResponseHeaders(answer.rawHeaders);
  readAll(answer, headers.get('content-encoding'))
    .then((bytes) =>
      settle.resolve(responseOf(answer, headers, call.method === 'HEAD' ? null : bytes, call.url)),
    )
    .catch(settle.fail);
};

/** The whole body of an answer, decoded as fetch decodes it (gzip, deflate, br). */
function readAll(answer: IncomingMessage, encoding: string | null): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
    answer.on('error', reject);
    answer.on('close', () => {
      if (!answer.complete) reject(new Error('the connection closed before the answer was complete'));
    });
    answer.on('end', () => {
      try {
        resolve(decoded(Buffer.concat(chunks), encoding));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

function decoded(bytes: Buffer, encoding: string | null): Buffer {
  if (bytes.length === 0) return bytes;
  switch (contentCoding(encoding)) {
    case 'zlib':
      return unzipSync(bytes);
    case 'br':
      return brotliDecompressSync(bytes);
    default:
      return bytes;
  }
}

/** The answer as fetch gives it (a status outside 200–599 throws, failing the call, as `new Response` did). */
function responseOf(
  answer: IncomingMessage,
  headers: ResponseHeaders,
  bytes: Buffer | null,
  url: URL,
): Response {
  const status = answer.statusCode ?? 0;
  const body = bytes === null || NULL_BODY_STATUSES.has(status) ? null : bytes;
  return new BufferedResponse(body, {
    status,
    statusText: answer.statusMessage ?? '',
    headers,
    url: url.href,
  });
}
