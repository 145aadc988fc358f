import { callService, callServiceJson, type ServiceRequest } from '../shared/service-client.js';
import type { HubAccess } from '../repos/hub-access.js';
import { JOBS_SERVICE } from './jobs-errors.js';

/**
 * The Jobs API through the one HTTP client (timeout, Retry-After-aware retries of reads, failures
 * worded for the model), with the Jobs hints rather than the repo ones. `@huggingface/hub` gets it
 * as its `fetch`, so its calls and the plain-HTTP ones fail alike.
 */
export function jobsFetch(access: HubAccess): typeof fetch {
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
    return callService(JOBS_SERVICE, url, request);
  };
}

/** A plain-HTTP Jobs endpoint, `path` under `hub.url`. */
export function jobsRequest(
  access: HubAccess,
  path: string,
  request: Omit<ServiceRequest, 'signal' | 'timeoutMs' | 'token'> = {},
): Promise<Response> {
  return callService(JOBS_SERVICE, `${access.url}${path}`, {
    ...request,
    signal: access.signal,
    timeoutMs: access.timeoutMs,
    token: access.token,
  });
}

export function jobsRequestJson<T>(
  access: HubAccess,
  path: string,
  request: Omit<ServiceRequest, 'signal' | 'timeoutMs' | 'token'> = {},
): Promise<T> {
  return callServiceJson<T>(JOBS_SERVICE, `${access.url}${path}`, {
    ...request,
    signal: access.signal,
    timeoutMs: access.timeoutMs,
    token: access.token,
  });
}
