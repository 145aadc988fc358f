import { HubApiError, InvalidApiResponseFormatError } from '@huggingface/hub';
import {
  callService,
  callServiceJson,
  type ServiceInfo,
  type ServiceRequest,
} from '../shared/service-client.js';
import { HUB_SERVICE, hubServiceError } from '../shared/hub-errors.js';
import { ServiceError } from '../shared/service-error.js';
import type { ServiceEndpoints } from '../tool-services.js';

/**
 * How the repo tools reach the Hub: every request to `hub.url` with `hub.token`, through the one
 * HTTP client (timeout, Retry-After-aware retries, failures worded for the model). `@huggingface/hub`
 * gets the same client as its `fetch`, so its calls and the plain-HTTP ones fail alike.
 */
export interface HubAccess {
  url: string;
  token: string | undefined;
  timeoutMs: number;
  signal: AbortSignal;
}

export function hubAccess(hub: ServiceEndpoints['hub'], timeoutMs: number, signal: AbortSignal): HubAccess {
  const token = hub.token?.trim() || undefined;
  // @huggingface/hub throws a bare TypeError for such a token; say it in words the user can act on.
  if (token && !token.startsWith('hf_')) {
    throw new ServiceError(
      'HF_TOKEN does not look like a Hugging Face token (they start with "hf_"); set it to a token from https://huggingface.co/settings/tokens.',
    );
  }
  return { url: hub.url.replace(/\/+$/, ''), token, timeoutMs, signal };
}

/** The token a write needs; without one the Hub would answer 401, so say so before calling it. */
export function writeToken(access: HubAccess, what: string): string {
  if (!access.token) {
    throw new ServiceError(
      `${what} needs a Hugging Face token with write access, and HF_TOKEN is not set. ${HUB_SERVICE.authHint}`,
      { status: 401 },
    );
  }
  return access.token;
}

/** `accessToken` for a read through `@huggingface/hub`: only when there is one. */
export function readCredentials(access: HubAccess): { accessToken: string } | Record<string, never> {
  return access.token ? { accessToken: access.token } : {};
}

/**
 * A `fetch` for `@huggingface/hub` made of {@link callService}: an error status arrives as a
 * `ServiceError` (which the library lets through), so the model reads the same message either way.
 */
export function hubFetch(access: HubAccess, service: ServiceInfo = HUB_SERVICE): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const signals = [access.signal, init?.signal, input instanceof Request ? input.signal : undefined];
    const request: ServiceRequest = {
      method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
      headers: init?.headers ?? (input instanceof Request ? input.headers : undefined),
      signal: AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined && s !== null)),
      timeoutMs: access.timeoutMs,
    };
    if (init?.body !== undefined && init.body !== null) request.body = init.body;
    return callService(service, url, request);
  };
}

/** A plain-HTTP Hub endpoint (tags, refs, discussions, settings), `path` under `hub.url`. */
export function hubRequest(
  access: HubAccess,
  path: string,
  request: Omit<ServiceRequest, 'signal' | 'timeoutMs' | 'token'> = {},
  service: ServiceInfo = HUB_SERVICE,
): Promise<Response> {
  return callService(service, `${access.url}${path}`, {
    ...request,
    signal: access.signal,
    timeoutMs: access.timeoutMs,
    token: access.token,
  });
}

export function hubRequestJson<T>(
  access: HubAccess,
  path: string,
  request: Omit<ServiceRequest, 'signal' | 'timeoutMs' | 'token'> = {},
  service: ServiceInfo = HUB_SERVICE,
): Promise<T> {
  return callServiceJson<T>(service, `${access.url}${path}`, {
    ...request,
    signal: access.signal,
    timeoutMs: access.timeoutMs,
    token: access.token,
  });
}

/**
 * Runs a `@huggingface/hub` call and words what it throws: our own `ServiceError`s pass, an answer
 * the library could not read is a malformed answer, anything else goes through `hubServiceError`.
 */
export async function viaHubLibrary<T>(access: HubAccess, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (access.signal.aborted) throw new ServiceError('Stopped: the turn was interrupted.', { cause: err });
    if (err instanceof ServiceError || err instanceof HubApiError) throw hubServiceError(err, what);
    if (err instanceof InvalidApiResponseFormatError || err instanceof SyntaxError) {
      throw new ServiceError(
        `${HUB_SERVICE.label} sent an answer that could not be read for ${what}; try again later.`,
        { cause: err },
      );
    }
    throw hubServiceError(err, what);
  }
}
