/**
 * Secret redaction for anything posted to chat, logged or uploaded. Pure: no imports, no I/O.
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Shorter values are too likely to occur in ordinary text to be replaced safely. */
export const MIN_SECRET_LENGTH = 8;

/**
 * Token shapes redacted even when the exact value is unknown (a token the model read from a file,
 * a user pasted, or a tool printed).
 */
export const TOKEN_PATTERNS: readonly RegExp[] = [
  /hf_[A-Za-z0-9]{20,}/,
  /sk-ant-[\w-]{20,}/,
  /xox[abprs]-[\w-]{10,}/,
  /xapp-[\w-]{10,}/,
  /gh[pousr]_[A-Za-z0-9]{20,}/,
  /github_pat_\w{20,}/,
];

/**
 * Builds a function that replaces every known secret (length ≥ 8) and every {@link TOKEN_PATTERNS}
 * match with {@link REDACTED}.
 *
 * Secrets are also matched in their URL-encoded and JSON-escaped forms, the two ways they most often
 * reach a log line. Longer secrets are tried first, so one secret containing another is redacted whole.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    variants.add(JSON.stringify(secret).slice(1, -1));
  }
  const literals = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const alternatives = [...literals, ...TOKEN_PATTERNS.map((pattern) => pattern.source)];
  const matcher = new RegExp(alternatives.join('|'), 'g');
  return (text) => text.replace(matcher, REDACTED);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
