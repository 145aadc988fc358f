import { ServiceError } from '../shared/service-error.js';

/** A GitHub call outlived its per-attempt deadline (thrown by the retry hook, mapped below). */
export class GitHubTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'GitHubTimeoutError';
  }
}

/** What the message may say about the caller's situation. */
export interface GitHubErrorContext {
  /** "file examples/sft.py in huggingface/trl", "code search for 'sft' in org huggingface". */
  what: string;
  hasToken: boolean;
  /** The turn's signal: aborted means the user stopped it, not that GitHub failed. */
  signal?: AbortSignal | undefined;
  /** Replaces the generic 404 advice ("check the repo id…"). */
  notFoundHint?: string;
}

/**
 * Turns what Octokit throws (`RequestError` with the status, GitHub's `{message, documentation_url}`
 * body and its `x-ratelimit-*` / `retry-after` headers, or a network failure) into a
 * {@link ServiceError} the model can act on: set GITHUB_TOKEN, wait until the limit resets, check the
 * name. Never includes the token or the request's headers.
 */
export function gitHubServiceError(err: unknown, context: GitHubErrorContext): ServiceError {
  if (err instanceof ServiceError) return err;
  if (context.signal?.aborted) return new ServiceError('Stopped: the turn was interrupted.', { cause: err });
  if (err instanceof GitHubTimeoutError) {
    return new ServiceError(
      `GitHub did not answer within ${Number((err.timeoutMs / 1000).toFixed(1))} s (${context.what}); try again, or ask for less.`,
      { cause: err },
    );
  }
  const failure = asHttpFailure(err);
  if (failure) return httpFailure(failure, err, context);
  const reason = err instanceof Error ? (causeCode(err) ?? err.message) : String(err);
  return new ServiceError(`Could not reach GitHub (${reason}) for ${context.what}; try again later.`, {
    cause: err,
  });
}

/** The parts of Octokit's `RequestError` (name `HttpError`) read here; it is not a direct dependency. */
interface HttpFailure {
  status: number;
  headers: Record<string, unknown>;
  data: unknown;
}

function asHttpFailure(err: unknown): HttpFailure | undefined {
  if (!(err instanceof Error) || err.name !== 'HttpError') return undefined;
  const { status, response } = err as Error & {
    status?: unknown;
    response?: { headers?: Record<string, unknown>; data?: unknown };
  };
  // Octokit reports a network failure as an HttpError with status 500 and no response.
  if (typeof status !== 'number' || !response) return undefined;
  return { status, headers: response.headers ?? {}, data: response.data };
}

function httpFailure(failure: HttpFailure, err: unknown, context: GitHubErrorContext): ServiceError {
  const { status, headers } = failure;
  const said = serverWords(failure.data);
  const options = { status, cause: err };
  const tokenAdvice = context.hasToken
    ? ''
    : ' Setting GITHUB_TOKEN raises the limit (5,000 requests an hour instead of 60).';

  if ((status === 403 || status === 429) && header(headers, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    const when = Number.isFinite(reset) && reset > 0 ? resetText(reset) : 'within the hour';
    const whose = context.hasToken ? 'for GITHUB_TOKEN' : 'for unauthenticated requests';
    return new ServiceError(
      `GitHub's rate limit ${whose} is used up (${status}); it resets ${when}. Wait until then, or make fewer calls.${tokenAdvice}`,
      options,
    );
  }
  const retryAfter = header(headers, 'retry-after');
  if (status === 429 || (status === 403 && (retryAfter !== undefined || /rate limit/i.test(said)))) {
    const wait = retryAfter ? `; it asks to wait ${retryAfter} s` : '';
    return new ServiceError(
      `GitHub is rate limiting these requests (${status})${wait}. Wait before retrying, or make fewer calls.${tokenAdvice}`,
      options,
    );
  }
  const detail = said ? `: ${said}` : '';
  switch (status) {
    case 401:
      return new ServiceError(
        context.hasToken
          ? `GitHub refused GITHUB_TOKEN (401${detail}). Set GITHUB_TOKEN to a valid token, or unset it to call GitHub without one.`
          : `GitHub needs a token for ${context.what} (401${detail}). Set GITHUB_TOKEN to a GitHub token (read access to public repositories is enough).`,
        options,
      );
    case 403:
      return new ServiceError(
        `GitHub refused access to ${context.what} (403${detail}). ${
          context.hasToken
            ? 'GITHUB_TOKEN may lack access to this repository, or need authorising for the organization (SSO).'
            : 'Setting GITHUB_TOKEN to a token with access may help.'
        }`,
        options,
      );
    case 404:
      return new ServiceError(
        `Not found on GitHub: ${context.what} (404). ${
          context.notFoundHint ??
          'Check the owner, repository name and path (names and paths are case-sensitive); a private repository also reads as not found without a GITHUB_TOKEN that can see it.'
        }`,
        options,
      );
    case 422:
      return new ServiceError(
        `GitHub could not process ${context.what} (422${detail}). Check the names in the request.`,
        options,
      );
    default:
      return new ServiceError(
        status >= 500
          ? `GitHub failed (${status}) on ${context.what}; try again later.`
          : `GitHub rejected ${context.what} (${status}${detail}).`,
        options,
      );
  }
}

/** GitHub's own words: `message`, plus the first of `errors[].message` (a 422 says why there). */
function serverWords(data: unknown): string {
  let words = '';
  if (typeof data === 'object' && data !== null) {
    const body = data as { message?: unknown; errors?: unknown };
    if (typeof body.message === 'string') words = body.message;
    if (Array.isArray(body.errors)) {
      const first = body.errors[0] as { message?: unknown } | undefined;
      if (typeof first?.message === 'string') words = words ? `${words}: ${first.message}` : first.message;
    }
  } else if (typeof data === 'string' && !/^\s*</.test(data)) {
    words = data;
  }
  // Without its final period: the message goes on in parentheses or with a hint of its own.
  words = words
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.\s]+$/, '');
  return words.length > 240 ? `${words.slice(0, 240)}…` : words;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** "in about 12 min (at 14:05 UTC)". */
function resetText(resetEpochSeconds: number): string {
  const at = new Date(resetEpochSeconds * 1000);
  const minutes = Math.max(1, Math.ceil((at.getTime() - Date.now()) / 60_000));
  return `in about ${minutes} min (at ${at.toISOString().slice(11, 16)} UTC)`;
}

function causeCode(err: Error): string | undefined {
  let cause: unknown = err.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return code;
    cause = cause.cause;
  }
  return undefined;
}
