import { HTTPError } from 'ky';
import type { z } from 'zod';
import { callServiceJson, type ServiceInfo } from '../shared/service-client.js';
import { ServiceError } from '../shared/service-error.js';

/** How the dataset viewer's failures read when nothing more specific applies. */
export const VIEWER_SERVICE: ServiceInfo = {
  label: 'the dataset viewer',
  authHint: 'Set HF_TOKEN to a valid token.',
  forbiddenHint: 'The dataset may be gated or private.',
  notFoundHint: 'Check the dataset id, config and split.',
};

/** The viewer endpoints the tool calls. */
export type ViewerEndpoint = 'is-valid' | 'splits' | 'info' | 'first-rows' | 'parquet' | 'size';

/**
 * A failed viewer call, with what the viewer said: its `X-Error-Code` header
 * (`ExternalAuthenticatedError`, `ResponseNotReady`, `NotSupportedPrivateRepositoryError`…, see
 * libapi/exceptions.py and libcommon/exceptions.py) and the `error` text of its JSON body.
 * `message` is the generic wording of the shared client (timeouts, 429, 5xx) and stays usable as is.
 */
export class ViewerCallError extends ServiceError {
  readonly endpoint: ViewerEndpoint;
  readonly errorCode: string | undefined;
  readonly serverText: string | undefined;
  constructor(
    endpoint: ViewerEndpoint,
    message: string,
    details: { status?: number | undefined; errorCode?: string | undefined; serverText?: string | undefined },
    cause: unknown,
  ) {
    super(message, { status: details.status, cause });
    this.endpoint = endpoint;
    this.errorCode = details.errorCode;
    this.serverText = details.serverText;
  }
}

export interface ViewerRequest {
  baseUrl: string;
  token: string | undefined;
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * `GET {viewer}/{endpoint}?{params}` with the Hub token (the viewer accepts it for gated and private
 * datasets), its JSON checked against `shape`. Every failure is a {@link ViewerCallError}.
 */
export async function viewerGet<S extends z.ZodType>(
  request: ViewerRequest,
  endpoint: ViewerEndpoint,
  params: Record<string, string>,
  shape: S,
): Promise<z.infer<S>> {
  const url = `${request.baseUrl.replace(/\/+$/, '')}/${endpoint}`;
  let body: unknown;
  try {
    body = await callServiceJson(VIEWER_SERVICE, url, {
      searchParams: params,
      token: request.token,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
    });
  } catch (err) {
    throw await asViewerError(endpoint, err);
  }
  const parsed = shape.safeParse(body);
  if (!parsed.success) {
    throw new ViewerCallError(
      endpoint,
      `${VIEWER_SERVICE.label} sent an answer of an unexpected shape for /${endpoint}; try again later.`,
      {},
      parsed.error,
    );
  }
  return parsed.data;
}

async function asViewerError(endpoint: ViewerEndpoint, err: unknown): Promise<ViewerCallError> {
  const message = err instanceof Error ? err.message : String(err);
  const status = err instanceof ServiceError ? err.status : undefined;
  const http = err instanceof Error && err.cause instanceof HTTPError ? err.cause : undefined;
  if (!http) return new ViewerCallError(endpoint, message, { status }, err);
  return new ViewerCallError(
    endpoint,
    message,
    {
      status: http.response.status,
      errorCode: http.response.headers.get('x-error-code') ?? undefined,
      serverText: await errorText(http.response),
    },
    err,
  );
}

/** The `error` field of the viewer's JSON error body (`{"error": "..."}`), cut short. */
async function errorText(response: Response): Promise<string | undefined> {
  try {
    const body = JSON.parse(await response.clone().text()) as unknown;
    const error = (body as { error?: unknown } | null)?.error;
    if (typeof error !== 'string') return undefined;
    const words = error.replace(/\s+/g, ' ').trim();
    return words.length > 300 ? `${words.slice(0, 300)}…` : words;
  } catch {
    return undefined;
  }
}
