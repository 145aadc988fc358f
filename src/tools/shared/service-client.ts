import ky, { HTTPError, TimeoutError, type Options } from 'ky';
import { retryAfterMsOf } from '../../llm/http-retry.js';
import { ServiceError } from './service-error.js';

/**
 * One HTTP client for every service the tools call (the Hub, the dataset viewer, arXiv, Semantic
 * Scholar, GitHub raw files, the search page): ky, for its timeout and its retries that honour
 * `Retry-After` on 429 and 503. Every failure becomes a {@link ServiceError} whose message tells
 * the model what to do next; a token never appears in it.
 */

/** Who is being called, for the messages. */
export interface ServiceInfo {
  /** "the Hugging Face Hub", "the dataset viewer", "Semantic Scholar". */
  label: string;
  /** What a 401 should make the user do: "set HF_TOKEN to a valid token". */
  authHint?: string;
  /** What a 403 usually means here ("the repo is gated: accept its conditions on its page"). */
  forbiddenHint?: string;
  /** What a 404 usually means here ("check the repo id, and that it is public or HF_TOKEN can see it"). */
  notFoundHint?: string;
}

export interface ServiceRequest extends Pick<
  Options,
  'method' | 'headers' | 'json' | 'body' | 'searchParams'
> {
  signal?: AbortSignal | undefined;
  /** Default 20 s per attempt. */
  timeoutMs?: number;
  /** Bearer token, sent only to this request's URL. */
  token?: string | undefined;
}

/** A `Retry-After` longer than this is not waited out inside a tool call. */
const MAX_RETRY_AFTER_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 20_000;

export async function callService(
  service: ServiceInfo,
  url: string,
  request: ServiceRequest = {},
): Promise<Response> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers = new Headers(request.headers as ConstructorParameters<typeof Headers>[0]);
  if (request.token) headers.set('authorization', `Bearer ${request.token}`);
  try {
    return await ky(url, {
      method: request.method ?? 'get',
      headers,
      ...(request.json !== undefined ? { json: request.json } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.searchParams !== undefined ? { searchParams: request.searchParams } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      timeout: timeoutMs,
      retry: {
        limit: 2,
        methods: ['get', 'head'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        afterStatusCodes: [429, 503],
        maxRetryAfter: MAX_RETRY_AFTER_MS,
        backoffLimit: 2_000,
        // ky's maxRetryAfter only caps the wait; a server asking for longer gets its error at once.
        shouldRetry: ({ error }) => {
          if (!(error instanceof HTTPError)) return undefined;
          const wait = retryAfterMsOf(error.response.headers);
          return wait !== undefined && wait > MAX_RETRY_AFTER_MS ? false : undefined;
        },
      },
    });
  } catch (err) {
    throw await toServiceError(service, err, timeoutMs, request.signal);
  }
}

/** `callService` and the body as JSON; a body that is not JSON is a malformed answer. */
export async function callServiceJson<T = unknown>(
  service: ServiceInfo,
  url: string,
  request: ServiceRequest = {},
): Promise<T> {
  const response = await callService(service, url, request);
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ServiceError(
      `${service.label} sent an answer that is not JSON (${text.length} bytes); try again later.`,
    );
  }
}

async function toServiceError(
  service: ServiceInfo,
  err: unknown,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ServiceError> {
  if (signal?.aborted) return new ServiceError('Stopped: the turn was interrupted.', { cause: err });
  if (err instanceof TimeoutError) {
    return new ServiceError(
      `${service.label} did not answer within ${seconds(timeoutMs)} s; try again, or ask for less.`,
      { cause: err },
    );
  }
  if (err instanceof HTTPError) return httpError(service, err);
  const reason = err instanceof Error ? (causeCode(err) ?? err.message) : String(err);
  return new ServiceError(`Could not reach ${service.label} (${reason}); try again later.`, { cause: err });
}

async function httpError(service: ServiceInfo, err: HTTPError): Promise<ServiceError> {
  const status = err.response.status;
  const detail = await serverWords(err.response);
  // The server's sentence, without its final period: the hint that follows adds its own.
  const said = detail ? `: ${detail.replace(/[.\s]+$/, '')}` : '';
  const options = { status, cause: err };
  switch (status) {
    case 401:
      return new ServiceError(
        `${service.label} refused the request (401, not authenticated)${said}. ${service.authHint ?? 'A valid token is needed.'}`,
        options,
      );
    case 403:
      return new ServiceError(
        `${service.label} refused access (403)${said}. ${service.forbiddenHint ?? 'The token lacks the permission for this.'}`,
        options,
      );
    case 404:
      return new ServiceError(
        `Not found on ${service.label} (404)${said}. ${service.notFoundHint ?? 'Check the id or path.'}`,
        options,
      );
    case 429: {
      const wait = err.response.headers.get('retry-after');
      return new ServiceError(
        `${service.label} is rate limiting these requests (429)${wait ? `; it asks to wait ${wait} s` : ''}. Wait before retrying, or make fewer calls.`,
        options,
      );
    }
    default:
      return new ServiceError(
        status >= 500
          ? `${service.label} failed (${status})${said}; try again later.`
          : `${service.label} rejected the request (${status})${said}.`,
        options,
      );
  }
}

/** The server's own error text (`{error}`, `{message}`, or a short plain body), cut short. */
async function serverWords(response: Response): Promise<string> {
  let text: string;
  try {
    text = await response.clone().text();
  } catch {
    return '';
  }
  let words = text;
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'object' && body !== null) {
      const record = body as Record<string, unknown>;
      const candidate = record.error ?? record.message ?? record.detail;
      words =
        typeof candidate === 'string'
          ? candidate
          : typeof (candidate as { message?: unknown } | undefined)?.message === 'string'
            ? (candidate as { message: string }).message
            : '';
    }
  } catch {
    // Not JSON: HTML error pages say nothing useful.
    if (/^\s*</.test(text)) words = '';
  }
  words = words.replace(/\s+/g, ' ').trim();
  return words.length > 200 ? `${words.slice(0, 200)}…` : words;
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

/** `0.3`, `12`: tenths under a second, whole seconds above. */
function seconds(ms: number): string {
  return ms < 1_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}
