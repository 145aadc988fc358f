import { ViewerCallError } from './viewer-client.js';

/** A viewer answer or its failure: the sections of a result fail one by one, never the whole call. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: ViewerCallError };

export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({
      ok: false as const,
      error:
        error instanceof ViewerCallError
          ? error
          : new ViewerCallError('splits', error instanceof Error ? error.message : String(error), {}, error),
    }),
  );
}
