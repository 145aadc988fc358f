import { Octokit } from '@octokit/rest';
import type { Logger } from 'pino';
import { gitHubServiceError, GitHubTimeoutError, type GitHubErrorContext } from './github-errors.js';

/** Per attempt; GitHub's search can be slow, but a hung call must not hold the turn. */
const DEFAULT_TIMEOUT_MS = 20_000;
/** A wait GitHub asks for (`retry-after`) longer than this is reported instead of waited out. */
const MAX_RETRY_WAIT_MS = 10_000;
const MAX_RETRIES = 2;

export interface GitHubApiOptions {
  /** Per-attempt deadline, ms (tests pass a short one). */
  timeoutMs?: number;
}

/**
 * The GitHub REST API for the github_* tools: one Octokit at `GITHUB_API_URL` with `GITHUB_TOKEN`
 * (none when unset: public data, 60 requests an hour), a per-attempt deadline, and a small retry
 * for what GitHub says is worth retrying (`retry-after` on 429 and secondary limits, 5xx, a dropped
 * connection). `@octokit/plugin-retry` and `plugin-throttling` are not installed, so this is the
 * one request hook doing their job; every failure leaves `call` as a ServiceError.
 */
export class GitHubApi {
  readonly octokit: Octokit;
  readonly hasToken: boolean;

  constructor(
    endpoint: { url: string; token?: string | undefined },
    logger: Logger,
    options: GitHubApiOptions = {},
  ) {
    this.hasToken = Boolean(endpoint.token);
    this.octokit = new Octokit({
      baseUrl: endpoint.url.replace(/\/+$/, ''),
      ...(endpoint.token ? { auth: endpoint.token } : {}),
      userAgent: 'ml-intern-bot',
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => logger.warn({ service: 'github' }, message),
        error: (message: string) => logger.error({ service: 'github' }, message),
      },
    });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.octokit.hook.wrap('request', async (request, requestOptions) => {
      requestOptions.headers['x-github-api-version'] = '2022-11-28';
      const outer = requestOptions.request?.signal;
      for (let attempt = 0; ; attempt++) {
        const deadline = AbortSignal.timeout(timeoutMs);
        const signal = outer ? AbortSignal.any([outer, deadline]) : deadline;
        // Set in place: the hooks after this one were bound to this very options object, so a
        // copy passed to `request` would be ignored.
        requestOptions.request = { ...requestOptions.request, signal };
        try {
          return await request(requestOptions);
        } catch (err) {
          if (outer?.aborted) throw err;
          if (deadline.aborted) throw new GitHubTimeoutError(timeoutMs);
          const wait = attempt < MAX_RETRIES ? retryWait(err, attempt) : undefined;
          if (wait === undefined || requestOptions.method !== 'GET') throw err;
          logger.debug({ service: 'github', wait, attempt }, 'retrying a GitHub request');
          await sleep(wait, outer);
        }
      }
    });
  }

  /** Runs one Octokit call with the turn's signal; any failure becomes a ServiceError for the model. */
  async call<T>(
    context: Omit<GitHubErrorContext, 'hasToken' | 'signal'>,
    signal: AbortSignal,
    run: (octokit: Octokit, request: { signal: AbortSignal }) => Promise<{ data: T }>,
  ): Promise<T> {
    try {
      const response = await run(this.octokit, { signal });
      return response.data;
    } catch (err) {
      throw gitHubServiceError(err, { ...context, hasToken: this.hasToken, signal });
    }
  }
}

/** How long to wait before retrying `err`, or undefined when it is not worth retrying. */
function retryWait(err: unknown, attempt: number): number | undefined {
  if (!(err instanceof Error) || err.name !== 'HttpError') return undefined;
  const { status, response } = err as Error & {
    status: number;
    response?: { headers?: Record<string, unknown> };
  };
  if (!response) return 500 * (attempt + 1); // the connection dropped
  const headers = response.headers ?? {};
  if (headers['x-ratelimit-remaining'] === '0') return undefined; // resets in minutes: report it
  const retryAfter = Number(headers['retry-after']);
  if (status === 429 || (status === 403 && Number.isFinite(retryAfter))) {
    if (!Number.isFinite(retryAfter)) return undefined;
    const ms = retryAfter * 1000;
    return ms <= MAX_RETRY_WAIT_MS ? ms : undefined;
  }
  if (status === 502 || status === 503 || status === 504) return 1000 * (attempt + 1);
  return undefined;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', stop);
      resolve();
    }
    function stop(): void {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    signal?.addEventListener('abort', stop, { once: true });
  });
}
