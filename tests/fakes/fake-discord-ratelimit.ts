import { createHash } from 'node:crypto';
import { apiError } from './fake-discord-http.js';
import type { RouteAnswer } from './fake-discord-http.js';
import { callMatches } from './fake-discord-routes.js';
import type { CallPattern } from './fake-discord-routes.js';

/** A scripted failure of the next matching call(s). */
export interface DiscordFailureSpec {
  /** HTTP status (default 429). discord.js retries 5xx itself (3 times), so a 500 is invisible once. */
  status?: number;
  /** 429: seconds to wait (`retry-after` header, `retry_after` body); default 1. */
  retryAfterSec?: number;
  /** 429: a global limit (`x-ratelimit-global: true`, scope `global`): discord.js pauses every route. */
  global?: boolean;
  /** 429: `x-ratelimit-scope` (default `user`, `global` when `global`). */
  scope?: 'user' | 'global' | 'shared';
  /** How many matching calls fail (default 1). */
  times?: number;
  /** Non-429: the JSON error's `code` and `message` (default 0 and the status text). */
  code?: number;
  message?: string;
}

/** A per-bucket limit: more than `limit` calls per route and major parameter in `windowMs` get a 429. */
export interface DiscordRateLimitSpec {
  limit: number;
  /** Default 1000 ms. */
  windowMs?: number;
}

interface Bucket {
  limit: number;
  windowMs: number;
  start: number;
  count: number;
}

/**
 * The default bucket is loose (50 per second) so ordinary tests never wait, but its headers are
 * real: @discordjs/rest reads `x-ratelimit-remaining`/`reset-after` and waits by itself at 0.
 */
const DEFAULT_LIMIT = 50;
const DEFAULT_WINDOW_MS = 1000;

const bucketHash = (method: string, template: string): string =>
  createHash('sha1').update(`${method} ${template}`).digest('hex').slice(0, 16);

/** Scripted failures and rate-limit buckets, consulted before each authorised call runs. */
export class RateLimiter {
  private readonly failures: Array<{ pattern: CallPattern; spec: DiscordFailureSpec; remaining: number }> =
    [];
  private readonly limits: Array<{ pattern: CallPattern; spec: DiscordRateLimitSpec }> = [];
  private readonly buckets = new Map<string, Bucket>();

  failNext(pattern: CallPattern, spec: DiscordFailureSpec): void {
    this.failures.push({ pattern, spec, remaining: spec.times ?? 1 });
  }

  rateLimit(pattern: CallPattern, spec: DiscordRateLimitSpec): void {
    this.limits.unshift({ pattern, spec });
  }

  private bucket(method: string, path: string, template: string, major: string): Bucket {
    const key = `${method} ${template} ${major}`;
    const now = Date.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined || now >= bucket.start + bucket.windowMs) {
      const spec = this.limits.find((l) => callMatches(l.pattern, method, path))?.spec;
      bucket = {
        limit: spec?.limit ?? DEFAULT_LIMIT,
        windowMs: spec?.windowMs ?? DEFAULT_WINDOW_MS,
        start: now,
        count: 0,
      };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** The answer replacing the route's (a scripted failure or an overflowing bucket), or undefined. */
  check(method: string, path: string, template: string, major: string): RouteAnswer | undefined {
    const failure = this.failures.find((f) => callMatches(f.pattern, method, path));
    if (failure !== undefined) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      const status = failure.spec.status ?? 429;
      if (status === 429) return this.tooManyRequests(method, template, failure.spec);
      return apiError(status, failure.spec.code ?? 0, failure.spec.message ?? `${status}: scripted failure`);
    }
    const bucket = this.bucket(method, path, template, major);
    if (bucket.count >= bucket.limit) {
      const retryAfterSec = Math.max(0.001, (bucket.start + bucket.windowMs - Date.now()) / 1000);
      return this.tooManyRequests(method, template, { retryAfterSec }, bucket);
    }
    bucket.count += 1;
    return undefined;
  }

  /** The `x-ratelimit-*` headers Discord sends with every answer of a bucketed route. */
  headers(method: string, path: string, template: string, major: string): Record<string, string> {
    const bucket = this.bucket(method, path, template, major);
    const resetAt = bucket.start + bucket.windowMs;
    return {
      'x-ratelimit-limit': String(bucket.limit),
      'x-ratelimit-remaining': String(Math.max(0, bucket.limit - bucket.count)),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': (Math.max(0, resetAt - Date.now()) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucketHash(method, template),
    };
  }

  /**
   * Discord's 429: body `{ message, retry_after (seconds, float), global }`, headers `retry-after`
   * (whole seconds), the bucket's `x-ratelimit-*` with remaining 0, `x-ratelimit-scope`, and
   * `x-ratelimit-global` when global (the header discord.js tests for).
   */
  private tooManyRequests(
    method: string,
    template: string,
    spec: DiscordFailureSpec,
    bucket?: Bucket,
  ): RouteAnswer {
    const retryAfter = spec.retryAfterSec ?? 1;
    const global = spec.global === true;
    const headers: Record<string, string> = {
      'retry-after': String(Math.ceil(retryAfter)),
      'x-ratelimit-scope': spec.scope ?? (global ? 'global' : 'user'),
    };
    if (global) headers['x-ratelimit-global'] = 'true';
    else {
      Object.assign(headers, {
        'x-ratelimit-limit': String(bucket?.limit ?? DEFAULT_LIMIT),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
        'x-ratelimit-reset-after': retryAfter.toFixed(3),
        'x-ratelimit-bucket': bucketHash(method, template),
      });
    }
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
      headers,
    };
  }
}
