import { InterruptedError } from '../core/errors.js';

/** HTTP-level retry rules shared by the providers: which statuses retry, how long to wait. */

export function isRetryableStatus(status: number, headers: Headers | undefined): boolean {
  // The API's own hint wins when present.
  const hint = headers?.get('x-should-retry');
  if (hint === 'true') return true;
  if (hint === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export function codeForStatus(status: number): string {
  if (status === 429) return 'llm_rate_limited';
  if (status === 529 || status === 503) return 'llm_overloaded';
  if (status >= 500) return 'llm_server_error';
  if (status === 403) return 'llm_permission';
  if (status === 404) return 'llm_not_found';
  if (status === 400) return 'llm_bad_request';
  return 'llm_error';
}

/** `retry-after-ms` (ms), else `retry-after` (seconds or an HTTP date); undefined when absent or unusable. */
export function retryAfterMsOf(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (value === undefined || value === null) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new InterruptedError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
