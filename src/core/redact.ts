/**
 * Secret redaction for anything posted to chat, logged, uploaded or shown to the model. Pure: no
 * imports, no I/O. The composition root builds one redactor ({@link createRedactor}) from every secret
 * the environment and the config hold; every tool output, event, log line and chat message goes
 * through it.
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Shorter values are too likely to occur in ordinary text to be replaced safely. */
export const MIN_SECRET_LENGTH = 8;

/**
 * Token shapes redacted even when the exact value is unknown (a token the model read from a file,
 * a user pasted, or a tool printed). Lookbehinds keep the label ("Bearer ", "aws_secret_access_key=")
 * readable and replace only the secret.
 */
export const TOKEN_PATTERNS: readonly RegExp[] = [
  /hf_[A-Za-z0-9]{20,}/,
  /sk-ant-[\w-]{20,}/,
  // OpenAI-style keys (sk-…, sk-proj-…), for OpenAI-compatible servers.
  /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/,
  /xox[abprs]-[\w-]{10,}/,
  /xapp-[\w-]{10,}/,
  /gh[pousr]_[A-Za-z0-9]{20,}/,
  /github_pat_\w{20,}/,
  // Discord bot tokens: base64 user id . timestamp . HMAC.
  /(?<![\w-])[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6,7}\.[A-Za-z\d_-]{27,40}/,
  // AWS access key ids, and secret keys where they are named.
  /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/,
  /(?<=aws_secret_access_key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/i,
  // Bearer and Basic credentials in headers (an opaque token has a digit somewhere; prose does not).
  /(?<=\b[Bb]earer\s+)(?=[^\s]*\d)[A-Za-z0-9._~+/=-]{12,}/,
  /(?<=authorization["']?\s*[:=]\s*["']?basic\s+)[A-Za-z0-9+/=]{8,}/i,
];

/** Redacts secrets from one text. */
export type Redact = (text: string) => string;

/**
 * Builds a function that replaces every known secret (length ≥ 8) and every {@link TOKEN_PATTERNS}
 * match with {@link REDACTED}.
 *
 * Secrets are also matched in their URL-encoded and JSON-escaped forms, the two ways they most often
 * reach a log line. Longer secrets are tried first, so one secret containing another is redacted whole.
 */
export function createRedactor(secrets: readonly string[]): Redact {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    variants.add(JSON.stringify(secret).slice(1, -1));
  }
  const literals = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const alternatives = [...literals, ...TOKEN_PATTERNS.map((pattern) => flagged(pattern))];
  const matcher = new RegExp(alternatives.join('|'), 'g');
  return (text) => text.replace(matcher, REDACTED);
}

/** How {@link redactDeep} treats what is not a string, an array or a plain object. */
export interface RedactDeepOptions {
  /** Keys whose values are left as they are (a call's `token` authenticates it; it is not text). */
  keep?: ReadonlySet<string>;
  /** Other values (buffers, streams, class instances): returned as they are unless this says otherwise. */
  other?: (value: unknown) => unknown;
}

/**
 * Every string inside `value` (object keys left alone) redacted; numbers, booleans and anything not a
 * plain object or array as they are (or as `options.other` makes them). For structured data that is
 * stored, shown or sent: events, tool arguments, chat API calls.
 */
export function redactDeep<T>(redact: Redact, value: T, options: RedactDeepOptions = {}): T {
  return walk(redact, value, options) as T;
}

function walk(redact: Redact, value: unknown, options: RedactDeepOptions): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => walk(redact, item, options));
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return options.other ? options.other(value) : value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = options.keep?.has(key) ? item : walk(redact, item, options);
  }
  return out;
}

/** A pattern's source, with an `i` flag turned into an inline case-insensitive form. */
function flagged(pattern: RegExp): string {
  if (!pattern.flags.includes('i')) return pattern.source;
  // JavaScript has no inline (?i): spell each letter outside classes and escapes as [xX].
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.source.length; i++) {
    const ch = pattern.source[i]!;
    if (ch === '\\') {
      out += ch + (pattern.source[++i] ?? '');
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    out += !inClass && /[a-z]/i.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch;
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
