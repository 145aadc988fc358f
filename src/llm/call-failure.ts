import type { MlInternError } from '../core/errors.js';

/** A failed attempt of one LLM call, as the retry loop sees it. */
export interface Failure {
  error: MlInternError;
  retryable: boolean;
  /** What the server asked for (`retry-after-ms` / `retry-after`), when it did. */
  retryAfterMs?: number;
}

/** The stream stalled past the timeout or ended before its end marker: a transport failure. */
export class StreamBrokenError extends Error {}

/** `onText` threw: the caller's error, passed through untouched rather than retried. */
export class CallbackError extends Error {}

/** Error details quoted from a server are cut to this length. */
const MAX_DETAIL_CHARS = 300;

export function truncateDetail(text: string): string {
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
