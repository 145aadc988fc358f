import type { ServiceRequest } from '../shared/service-client.js';
import { hubFetch, hubRequest, hubRequestJson, type HubAccess } from '../repos/hub-access.js';
import { JOBS_SERVICE } from './jobs-errors.js';

/**
 * The Jobs API through the Hub's access helpers (the one HTTP client: timeout, Retry-After-aware
 * retries of reads, failures worded for the model), with the Jobs hints rather than the repo ones.
 * `@huggingface/hub` gets `jobsFetch` as its `fetch`, so its calls and the plain-HTTP ones fail alike.
 */
export function jobsFetch(access: HubAccess): typeof fetch {
  return hubFetch(access, JOBS_SERVICE);
}

/** A plain-HTTP Jobs endpoint, `path` under `hub.url`. */
export function jobsRequest(
  access: HubAccess,
  path: string,
  request: Omit<ServiceRequest, 'signal' | 'timeoutMs' | 'token'> = {},
): Promise<Response> {
  return hubRequest(access, path, request, JOBS_SERVICE);
}

export function jobsRequestJson<T>(
  access: HubAccess,
  path: string,
  request: Omit<ServiceRequest, 'signal' | 'timeoutMs' | 'token'> = {},
): Promise<T> {
  return hubRequestJson<T>(access, path, request, JOBS_SERVICE);
}
