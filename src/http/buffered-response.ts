import {
  EMPTY,
  ResponseBase,
  disturbed,
  unclonableBody,
  unusableBody,
  type ResponseHead,
} from './response-base.js';

/**
 * A fetch `Response` over a body already read whole, with its headers read from node:http's
 * `rawHeaders`: what `keepAliveFetch` answers with.
 *
 * Why not a real `Response`: building one (`new Headers()`, one webidl-checked `append` per header,
 * then `new Response(bytes)`, which wraps the bytes in a web stream, and the garbage of both) was a
 * third of the client CPU of a Slack Web API call — 0.32 ms a chat.postMessage with it, 0.21 ms
 * with this (200 at once against the fake Slack) — for a body the WebClient reads back whole with
 * one `text()` and four or five `headers.get`. Here nothing is built until it is asked for: `text()`
 * is one UTF-8 decode, `headers.get` a scan of the raw header list, and the body stream is only
 * made if someone reads `body`.
 *
 * It behaves as the `Response` of a fetch does: one reading of the body (`text`, `json`,
 * `arrayBuffer`, `bytes`, `blob`, `formData` or the `body` stream); a second rejects with fetch's
 * TypeError, `clone()` before reading gives a second reading; a null body (`204`, `HEAD`) reads as
 * empty, any number of times; the headers are immutable.
 */
export class BufferedResponse extends ResponseBase {
  readonly #bytes: Uint8Array | null;
  /** The body was read by `text()` and the like (a read of the stream is the stream's to tell). */
  #used = false;
  /** The `body` stream, once someone asked for it. */
  #stream: ReadableStream<Uint8Array> | undefined;

  /** `bytes` null for a null body. */
  constructor(bytes: Uint8Array | null, head: ResponseHead) {
    super(bytes !== null, head);
    this.#bytes = bytes;
  }

  /** True once the body is read, or its stream read from or cancelled, as fetch's. */
  get bodyUsed(): boolean {
    return this.#used || (this.#stream !== undefined && disturbed(this.#stream));
  }

  /** The body as fetch gives it: a byte stream of the bytes, made on first access; null for a null body. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#bytes === null) return null;
    this.#stream ??= this.#used ? spentStream() : this.#streamOf(this.#bytes);
    return this.#stream;
  }

  /** A second response with the same body, as fetch's `clone()`: only before the body is read. */
  clone(): BufferedResponse {
    if (this.#unusable()) throw unclonableBody();
    return new BufferedResponse(this.#bytes, this.head);
  }

  protected consume<T>(read: (bytes: Uint8Array) => T | Promise<T>): Promise<T> {
    // The executor runs now: the body is taken at the call, as fetch's; a throw rejects the promise.
    return new Promise<T>((resolve) => resolve(read(this.#take())));
  }

  /** Fetch's "body is unusable": read already, or its stream is locked to a reader. */
  #unusable(): boolean {
    return this.bodyUsed || this.#stream?.locked === true;
  }

  /** The bytes, for the one reading of the body (empty for a null body, which may be read again). */
  #take(): Uint8Array {
    const bytes = this.#bytes;
    if (bytes === null) return EMPTY;
    if (this.#unusable()) throw unusableBody();
    this.#used = true;
    // A stream someone took and left unread ends locked and closed, as fetch leaves a body it read.
    if (this.#stream !== undefined) void this.#stream.getReader().cancel();
    return bytes;
  }

  /** A byte stream (BYOB readers too, as fetch's) giving a copy of `bytes` on the first read. */
  #streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
    return new ReadableStream({
      type: 'bytes',
      // A copy: the stream hands the reader its buffer, and `bytes` can be a slice of node's pool.
      pull: (controller) => {
        if (bytes.byteLength > 0) controller.enqueue(new Uint8Array(bytes));
        controller.close();
        controller.byobRequest?.respond(0);
      },
    });
  }
}

/** The stream of a body read some other way: closed, and locked as the reading left it. */
function spentStream(): ReadableStream<Uint8Array> {
  const stream = new ReadableStream({ type: 'bytes', start: (controller) => controller.close() });
  stream.getReader();
  return stream;
}
