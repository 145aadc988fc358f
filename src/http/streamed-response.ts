import {
  EMPTY,
  ResponseBase,
  disturbed,
  unclonableBody,
  unusableBody,
  type ResponseHead,
} from './response-base.js';

/**
 * A fetch `Response` whose body streams as it arrives: what `keepAliveStreamingFetch` answers with
 * at the response headers. Its `body` is the web stream of the answer; `text()`, `json()` and the
 * other readings read what is left of it to the end (the LLM SDKs read an error status's body so).
 *
 * It behaves as the `Response` of a fetch does: one reading of the body, by a reader of `body` or
 * by `text()` and the like; `bodyUsed` once the stream is read from or cancelled; a reading of a
 * body used, or whose stream a reader holds, rejects with fetch's TypeError; `clone()` before that
 * tees the stream; a null body (`204`, `HEAD`) reads as empty, any number of times. Unlike fetch's,
 * the stream is not a byte stream: a BYOB reader is refused (the SDKs read with a default reader).
 */
export class StreamedResponse extends ResponseBase {
  #body: ReadableStream<Uint8Array> | null;

  /** `body` null for a null body. */
  constructor(body: ReadableStream<Uint8Array> | null, head: ResponseHead) {
    super(body !== null, head);
    this.#body = body;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#body;
  }

  /** True once the stream was read from or cancelled, as fetch's. */
  get bodyUsed(): boolean {
    return this.#body !== null && disturbed(this.#body);
  }

  /** A second response with the same body, as fetch's `clone()`: the stream teed, one branch each. */
  clone(): StreamedResponse {
    const body = this.#body;
    if (body === null) return new StreamedResponse(null, this.head);
    if (this.#unusable(body)) throw unclonableBody();
    const [mine, theirs] = body.tee();
    this.#body = mine;
    return new StreamedResponse(theirs, this.head);
  }

  protected consume<T>(read: (bytes: Uint8Array) => T | Promise<T>): Promise<T> {
    const body = this.#body;
    if (body === null) return new Promise<T>((resolve) => resolve(read(EMPTY)));
    if (this.#unusable(body)) return Promise.reject(unusableBody());
    // Locked now, so that a second reading at once is refused; left locked at the end, as fetch leaves it.
    return readToEnd(body.getReader()).then(read);
  }

  /** Fetch's "body is unusable": read from, cancelled, or locked to a reader. */
  #unusable(body: ReadableStream<Uint8Array>): boolean {
    return body.locked || disturbed(body);
  }
}

/** Every chunk left in a stream, as one array (the one chunk itself when there is only one). */
async function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
    length += read.value.byteLength;
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
