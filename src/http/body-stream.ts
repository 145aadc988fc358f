import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { constants, createBrotliDecompress, createUnzip } from 'node:zlib';
import { contentCoding } from './content-coding.js';

/** Body bytes queued in the web stream, unread, past which the answer is paused (TCP does the rest). */
const HIGH_WATER_BYTES = 64 * 1024;

/**
 * The body of an answer as the web stream fetch gives: `Uint8Array` chunks as they arrive, decoded
 * as fetch decodes them (gzip, deflate, br, through zlib streams). Backpressure: the answer is
 * paused while the stream holds {@link HIGH_WATER_BYTES} unread, and resumed when it is pulled.
 *
 * It ends as fetch's does: closed at the end of the body; errored with the signal's reason when
 * `signal` aborts; errored with `TypeError('terminated', { cause })` when the connection breaks or
 * closes before the body is complete, or a compressed body is corrupt. `cancel()` drops the answer:
 * what is left of one complete already is drained, so its socket goes back to the pool; any other
 * is destroyed with its socket.
 */
export function bodyStream(
  answer: IncomingMessage,
  request: ClientRequest,
  signal: AbortSignal | undefined,
  encoding: string | null,
): ReadableStream<Uint8Array> {
  const decoder = decoderFor(encoding);
  const source: Readable = decoder ?? answer;
  let controller: ReadableStreamDefaultController<Uint8Array>;
  let settled = false;
  let paused = false;

  const settle = (): boolean => {
    if (settled) return false;
    settled = true;
    signal?.removeEventListener('abort', onAbort);
    return true;
  };
  const fail = (reason: unknown) => {
    if (!settle()) return;
    controller.error(reason);
    decoder?.destroy();
    answer.destroy();
    request.destroy();
  };
  const broke = (cause: unknown) => fail(new TypeError('terminated', { cause }));
  const onAbort = () => fail(signal?.reason);
  const onData = (chunk: Buffer) => {
    if (settled) return; // an errored or cancelled stream takes no more
    // A plain view: a Buffer's own methods (toString, slice…) are not what a fetch chunk has.
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) {
      paused = true;
      source.pause();
    }
  };

  return new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c;
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        request.on('error', broke);
        answer.on('error', broke);
        answer.on('close', () => {
          if (!answer.complete) broke(new Error('the connection closed before the answer was complete'));
        });
        if (decoder !== undefined) {
          decoder.on('error', broke);
          answer.pipe(decoder);
        }
        source.on('data', onData);
        source.on('end', () => {
          if (settle()) controller.close();
        });
      },
      pull: () => {
        if (!paused || settled) return;
        paused = false;
        source.resume();
      },
      cancel: () => {
        if (!settle()) return;
        if (answer.complete && decoder === undefined) {
          source.off('data', onData);
          answer.resume();
        } else {
          decoder?.destroy();
          answer.destroy();
        }
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
}

/**
 * The zlib stream that decodes a `content-encoding` (see {@link contentCoding}): lenient at a
 * truncated end (fetch's flush modes), and each piece given out as soon as it is decoded.
 */
function decoderFor(encoding: string | null): Transform | undefined {
  switch (contentCoding(encoding)) {
    case 'zlib':
      return createUnzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
    case 'br':
      return createBrotliDecompress({
        flush: constants.BROTLI_OPERATION_FLUSH,
        finishFlush: constants.BROTLI_OPERATION_FLUSH,
      });
    default:
      return undefined;
  }
}
