import { Readable } from 'node:stream';
import { inspect, type InspectOptions } from 'node:util';

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
 * empty, any number of times; the headers are immutable. `blob()` and `formData()`, whose MIME
 * rules are undici's, are answered by a real `Response` made for the occasion.
 */
export class BufferedResponse implements Response {
  readonly #bytes: Uint8Array | null;
  readonly #status: number;
  readonly #statusText: string;
  readonly #headers: ResponseHeaders;
  readonly #url: string;
  /** The body was read by `text()` and the like (a read of the stream is the stream's to tell). */
  #used = false;
  /** The `body` stream, once someone asked for it. */
  #stream: ReadableStream<Uint8Array> | undefined;

  /** `bytes` null for a null body, which the statuses that have no body (204, 304…) must have, as in fetch. */
  constructor(bytes: Uint8Array | null, init: BufferedResponseInit) {
    // The Response constructor's rules, which the real Responses this replaces were made under.
    if (init.status < 200 || init.status > 599)
      throw new RangeError(`init.status must be in the range of 200 to 599, inclusive (got ${init.status}).`);
    if (bytes !== null && NULL_BODY_STATUSES.has(init.status))
      throw new TypeError(`a response with status ${init.status} has no body`);
    this.#bytes = bytes;
    this.#status = init.status;
    this.#statusText = init.statusText;
    this.#headers = init.headers;
    this.#url = init.url;
  }

  get status(): number {
    return this.#status;
  }

  get ok(): boolean {
    return this.#status >= 200 && this.#status <= 299;
  }

  get statusText(): string {
    return this.#statusText;
  }

  get headers(): ResponseHeaders {
    return this.#headers;
  }

  get url(): string {
    return this.#url;
  }

  /** Never: the fetch that makes it follows no redirect. */
  get redirected(): boolean {
    return false;
  }

  get type(): Response['type'] {
    return 'basic';
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

  text(): Promise<string> {
    return this.#consume((bytes) => utf8.decode(bytes));
  }

  json(): Promise<unknown> {
    return this.#consume((bytes) => JSON.parse(utf8.decode(bytes)) as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#consume((bytes) => new Uint8Array(bytes).buffer);
  }

  /** Node's fetch has it (the TS lib types here do not yet): the body as fresh bytes. */
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#consume((bytes) => new Uint8Array(bytes));
  }

  blob(): Promise<Blob> {
    return this.#consume((bytes) => this.#realResponse(bytes).blob());
  }

  formData(): Promise<FormData> {
    return this.#consume((bytes) => this.#realResponse(bytes).formData());
  }

  /** A second response with the same body, as fetch's `clone()`: only before the body is read. */
  clone(): BufferedResponse {
    if (this.#unusable()) throw new TypeError('Response.clone: Body has already been consumed.');
    const init = {
      status: this.#status,
      statusText: this.#statusText,
      headers: this.#headers,
      url: this.#url,
    };
    return new BufferedResponse(this.#bytes, init);
  }

  /** What `console.log` shows of a fetch Response. */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    const { status, statusText, headers, body, bodyUsed, ok, redirected, type, url } = this;
    const shown = { status, statusText, headers, body, bodyUsed, ok, redirected, type, url };
    return `Response ${inspect(shown, options)}`;
  }

  /** Fetch's "body is unusable": read already, or its stream is locked to a reader. */
  #unusable(): boolean {
    return this.bodyUsed || this.#stream?.locked === true;
  }

  /** `read` of the bytes, as a promise (rejected with fetch's TypeError if the body was read already). */
  #consume<T>(read: (bytes: Uint8Array) => T | Promise<T>): Promise<T> {
    // The executor runs now: the body is taken at the call, as fetch's; a throw rejects the promise.
    return new Promise<T>((resolve) => resolve(read(this.#take())));
  }

  /** The bytes, for the one reading of the body (empty for a null body, which may be read again). */
  #take(): Uint8Array {
    const bytes = this.#bytes;
    if (bytes === null) return EMPTY;
    if (this.#unusable()) throw new TypeError('Body is unusable: Body has already been read');
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

  /** A real Response with this body and Content-Type, for the readings undici's rules decide. */
  #realResponse(bytes: Uint8Array): Response {
    const contentType = this.#headers.get('content-type');
    const headers: Array<[string, string]> = contentType === null ? [] : [['content-type', contentType]];
    return new Response(new Uint8Array(bytes), { headers });
  }
}

export interface BufferedResponseInit {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  /** The URL the request went to (a constructed Response's is empty; the WebClient reads it). */
  url: string;
}

/**
 * The headers of a fetch response over node:http's `rawHeaders` (`[name, value, name, value…]`,
 * names as sent, values already trimmed by node's parser as `Headers` trims them): what fetch's
 * `Headers` answers, without copying anything in. Not over `IncomingMessage.headers`, which keeps
 * only the first of a repeated Content-Type, Retry-After… where fetch joins them all.
 *
 * `get` is a scan of the raw list (a Slack answer has a dozen or two headers; the WebClient asks
 * for four or five, ~25 ns each, where filling a real `Headers` took ~2.4 µs a call). Names are
 * case-insensitive, repeats are joined with ", " and `getSetCookie()` gives each `Set-Cookie`
 * apart; iteration is in sorted lower-case order with each set-cookie on its own, as `Headers`
 * iterates. It is immutable, as a fetch response's headers are: `append`, `set` and `delete` throw.
 */
export class ResponseHeaders implements Headers {
  readonly #raw: readonly string[];

  constructor(rawHeaders: readonly string[]) {
    this.#raw = rawHeaders;
  }

  get(name: string): string | null {
    return this.#find(headerName(name, 'get'));
  }

  has(name: string): boolean {
    return this.#find(headerName(name, 'has')) !== null;
  }

  getSetCookie(): string[] {
    const cookies: string[] = [];
    const raw = this.#raw;
    for (let i = 0; i + 1 < raw.length; i += 2)
      if ((raw[i] as string).toLowerCase() === 'set-cookie') cookies.push(raw[i + 1] as string);
    return cookies;
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function')
      throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
    for (const [key, value] of this.#sorted()) callback.call(thisArg, value, key, this);
  }

  entries(): ArrayIterator<[string, string]> {
    return this.#sorted().values();
  }

  keys(): ArrayIterator<string> {
    return this.#sorted()
      .map(([key]) => key)
      .values();
  }

  values(): ArrayIterator<string> {
    return this.#sorted()
      .map(([, value]) => value)
      .values();
  }

  [Symbol.iterator](): ArrayIterator<[string, string]> {
    return this.entries();
  }

  append(_name: string, _value: string): never {
    throw new TypeError('immutable');
  }

  set(_name: string, _value: string): never {
    throw new TypeError('immutable');
  }

  delete(_name: string): never {
    throw new TypeError('immutable');
  }

  /** What `console.log` shows of a fetch response's Headers: names lower-cased, repeats joined. */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    return `Headers ${inspect(Object.fromEntries(this.#joined()), options)}`;
  }

  /** The values of the header `key` (lower-case) joined with ", ", as `Headers.get`; null if none. */
  #find(key: string): string | null {
    const raw = this.#raw;
    let value: string | null = null;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const rawName = raw[i] as string;
      if (rawName.length !== key.length || (rawName !== key && rawName.toLowerCase() !== key)) continue;
      const rawValue = raw[i + 1] as string;
      value = value === null ? rawValue : `${value}, ${rawValue}`;
    }
    return value;
  }

  /** Each name (lower-cased) with its values joined, in the order the names first came. */
  #joined(): Map<string, string> {
    const joined = new Map<string, string>();
    const raw = this.#raw;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const key = (raw[i] as string).toLowerCase();
      const value = raw[i + 1] as string;
      const before = joined.get(key);
      joined.set(key, before === undefined ? value : `${before}, ${value}`);
    }
    return joined;
  }

  /** The pairs as `Headers` iterates them: sorted by name, set-cookie values one by one. A fresh array. */
  #sorted(): Array<[string, string]> {
    const pairs: Array<[string, string]> = [];
    for (const [key, value] of [...this.#joined()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (key === 'set-cookie') for (const cookie of this.getSetCookie()) pairs.push([key, cookie]);
      else pairs.push([key, value]);
    }
    return pairs;
  }
}

/**
 * `instanceof Response` and `instanceof Headers` hold, as they did for the real ones these replace
 * (code that takes either a Headers or a plain object often asks). Every member of the real
 * prototypes is defined above, so none of undici's own (which need a real one's internal state) is
 * reached; `Symbol.toStringTag` ("Response", "Headers") is inherited.
 */
Object.setPrototypeOf(BufferedResponse.prototype, Response.prototype);
Object.setPrototypeOf(ResponseHeaders.prototype, Headers.prototype);

/** Statuses whose responses have no body, in fetch. */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
const EMPTY = new Uint8Array(0);
/** fetch's UTF-8 decode for `text()` and `json()`: a leading BOM dropped, bad bytes as U+FFFD. */
const utf8 = new TextDecoder();
/** A header name fetch accepts: an HTTP token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `name` lower-cased; fetch's TypeError for one that is no header name. */
function headerName(name: string, method: string): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`Headers.${method}: "${text}" is an invalid header name.`);
  return text.toLowerCase();
}

/**
 * Whether a web stream was read from or cancelled: node's `stream.isDisturbed`, which takes web
 * streams too (undici answers `bodyUsed` with it) though the Node types declare it for Node streams.
 */
function disturbed(stream: ReadableStream): boolean {
  return Readable.isDisturbed(stream as unknown as Readable);
}

/** The stream of a body read some other way: closed, and locked as the reading left it. */
function spentStream(): ReadableStream<Uint8Array> {
  const stream = new ReadableStream({ type: 'bytes', start: (controller) => controller.close() });
  stream.getReader();
  return stream;
}
