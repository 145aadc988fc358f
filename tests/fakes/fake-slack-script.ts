import type { ApiResult } from './fake-slack-method.js';
import { fail } from './fake-slack-method.js';

/** A scripted failure for the next call(s) of a method. */

export interface FailureSpec {
  /** 429: HTTP 429 with `Retry-After` (the WebClient waits and retries); other codes as given. */
  status?: number;
  /** The `Retry-After` header of a 429, in seconds (default 1). */
  retryAfterSec?: number;
  /** With no status: HTTP 200 `{ ok: false, error }` (`ratelimited`, `message_not_in_streaming_state`...). */
  error?: string;
  /** How many calls fail (default 1). */
  times?: number;
}

/** A rate limit on a method: more than `limit` calls in `windowMs` get a 429. */
export interface RateLimitSpec {
  limit: number;
  windowMs?: number;
  retryAfterSec?: number;
}

/** An answer that replaces the method's own: HTTP status, body, headers. */
export type ScriptedAnswer = [status: number, body: ApiResult, headers: Record<string, string>];

/** The failures and rate limits a test scripted, consulted before each call runs. */
export class CallScript {
  private readonly failures = new Map<string, Array<FailureSpec & { remaining: number }>>();
  private readonly limits = new Map<string, { spec: RateLimitSpec; hits: number[] }>();

  failNext(method: string, spec: FailureSpec): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ ...spec, remaining: spec.times ?? 1 });
    this.failures.set(method, queue);
  }

  rateLimit(method: string, spec: RateLimitSpec): void {
    this.limits.set(method, { spec, hits: [] });
  }

  /** The answer this call gets instead of the method's, or undefined when it runs normally. */
  take(method: string): ScriptedAnswer | undefined {
    const queue = this.failures.get(method);
    const next = queue?.[0];
    if (queue !== undefined && next !== undefined) {
      next.remaining -= 1;
      if (next.remaining <= 0) queue.shift();
      if (next.status === 429) return rateLimited(next.error ?? 'ratelimited', next.retryAfterSec);
      return [next.status ?? 200, fail(next.error ?? 'fatal_error'), {}];
    }
    const limit = this.limits.get(method);
    if (limit === undefined) return undefined;
    const now = Date.now();
    limit.hits = limit.hits.filter((t) => now - t < (limit.spec.windowMs ?? 1000));
    if (limit.hits.length >= limit.spec.limit) return rateLimited('ratelimited', limit.spec.retryAfterSec);
    limit.hits.push(now);
    return undefined;
  }
}

/** Slack's 429: `{ ok: false, error: 'ratelimited' }` and `Retry-After` in seconds. */
function rateLimited(error: string, retryAfterSec = 1): ScriptedAnswer {
  return [429, fail(error), { 'retry-after': String(retryAfterSec) }];
}
