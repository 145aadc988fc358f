import { inspect, type InspectOptions } from 'node:util';

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
 * `instanceof Headers` holds, as it did for the real ones this replaces (code that takes either a
 * Headers or a plain object often asks). Every member of the real prototype is defined above, so
 * none of undici's own (which need a real one's internal state) is reached; `Symbol.toStringTag`
 * ("Headers") is inherited.
 */
Object.setPrototypeOf(ResponseHeaders.prototype, Headers.prototype);

/** A header name fetch accepts: an HTTP token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `name` lower-cased; fetch's TypeError for one that is no header name. */
function headerName(name: string, method: string): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`Headers.${method}: "${text}" is an invalid header name.`);
  return text.toLowerCase();
}
