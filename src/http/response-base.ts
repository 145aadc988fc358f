import { Readable } from 'node:stream';
import { inspect, type InspectOptions } from 'node:util';
import type { ResponseHeaders } from './response-headers.js';

/** What a response is besides its body: the status line, the headers and the URL asked for. */
export interface ResponseHead {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  /** The URL the request went to (a constructed Response's is empty; the WebClient and the SDKs read it). */
  url: string;
}

/**
 * What the Responses of the keep-alive fetches share, whether their body was read whole
 * ({@link BufferedResponse}) or streams ({@link StreamedResponse}): the status line, headers and
 * URL as fetch's Response has them, and the readings of the body (`text`, `json`, `arrayBuffer`,
 * `bytes`, `blob`, `formData`) over the one `consume` each kind of body defines. `blob()` and
 * `formData()`, whose MIME rules are undici's, are answered by a real `Response` made for the
 * occasion.
 */
export abstract class ResponseBase implements Response {
  readonly #head: ResponseHead;

  /** `hasBody` false for a null body, which the statuses that have no body (204, 304…) must have, as in fetch. */
  constructor(hasBody: boolean, head: ResponseHead) {
    // The Response constructor's rules, which the real Responses these replace were made under.
    if (head.status < 200 || head.status > 599)
      throw new RangeError(`init.status must be in the range of 200 to 599, inclusive (got ${head.status}).`);
    if (hasBody && NULL_BODY_STATUSES.has(head.status))
      throw new TypeError(`a response with status ${head.status} has no body`);
    this.#head = head;
  }

  abstract get body(): ReadableStream<Uint8Array> | null;
  abstract get bodyUsed(): boolean;
  abstract clone(): ResponseBase;

  /**
   * `read` of the whole body (empty for a null body, which may be read any number of times), as a
   * promise; rejected with fetch's TypeError if the body was read already or its stream is locked.
   * The body is taken at the call, as fetch's: a second reading at once rejects.
   */
  protected abstract consume<T>(read: (bytes: Uint8Array) => T | Promise<T>): Promise<T>;

  /** The status line, headers and URL, for a clone. */
  protected get head(): ResponseHead {
    return this.#head;
  }

  get status(): number {
    return this.#head.status;
  }

  get ok(): boolean {
    return this.#head.status >= 200 && this.#head.status <= 299;
  }

  get statusText(): string {
    return this.#head.statusText;
  }

  get headers(): ResponseHeaders {
    return this.#head.headers;
  }

  get url(): string {
    return this.#head.url;
  }

  /** Never: a redirect these fetches follow is followed by the fallback, whose Response it is. */
  get redirected(): boolean {
    return false;
  }

  get type(): Response['type'] {
    return 'basic';
  }

  text(): Promise<string> {
    return this.consume((bytes) => utf8.decode(bytes));
  }

  json(): Promise<unknown> {
    return this.consume((bytes) => JSON.parse(utf8.decode(bytes)) as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.consume((bytes) => new Uint8Array(bytes).buffer);
  }

  /** Node's fetch has it (the TS lib types here do not yet): the body as fresh bytes. */
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.consume((bytes) => new Uint8Array(bytes));
  }

  blob(): Promise<Blob> {
    return this.consume((bytes) => this.#realResponse(bytes).blob());
  }

  formData(): Promise<FormData> {
    return this.consume((bytes) => this.#realResponse(bytes).formData());
  }

  /** What `console.log` shows of a fetch Response. */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    const { status, statusText, headers, body, bodyUsed, ok, redirected, type, url } = this;
    const shown = { status, statusText, headers, body, bodyUsed, ok, redirected, type, url };
    return `Response ${inspect(shown, options)}`;
  }

  /** A real Response with this body and Content-Type, for the readings undici's rules decide. */
  #realResponse(bytes: Uint8Array): Response {
    const contentType = this.#head.headers.get('content-type');
    const headers: Array<[string, string]> = contentType === null ? [] : [['content-type', contentType]];
    return new Response(new Uint8Array(bytes), { headers });
  }
}

/**
 * `instanceof Response` holds, as it did for the real ones these replace. Every member of the real
 * prototype is defined here or in each subclass, so none of undici's own (which need a real one's
 * internal state) is reached; `Symbol.toStringTag` ("Response") is inherited.
 */
Object.setPrototypeOf(ResponseBase.prototype, Response.prototype);

/** Statuses whose responses have no body, in fetch. */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
/** What a null body reads as. */
export const EMPTY = new Uint8Array(0);
/** fetch's TypeError for a body read twice (or whose stream a reader holds). */
export const unusableBody = (): TypeError => new TypeError('Body is unusable: Body has already been read');
/** fetch's TypeError for a clone of a body read already. */
export const unclonableBody = (): TypeError =>
  new TypeError('Response.clone: Body has already been consumed.');
/** fetch's UTF-8 decode for `text()` and `json()`: a leading BOM dropped, bad bytes as U+FFFD. */
const utf8 = new TextDecoder();

/**
 * Whether a web stream was read from or cancelled: node's `stream.isDisturbed`, which takes web
 * streams too (undici answers `bodyUsed` with it) though the Node types declare it for Node streams.
 */
export function disturbed(stream: ReadableStream): boolean {
  return Readable.isDisturbed(stream as unknown as Readable);
}
