import { InvalidApiResponseFormatError } from '@huggingface/hub';
import type { ServiceInfo } from '../shared/service-client.js';
import { hubServiceError } from '../shared/hub-errors.js';
import { ServiceError } from '../shared/service-error.js';

/** How the Jobs API's failures read for the model (401, 403, 404 hints of the shared HTTP client). */
export const JOBS_SERVICE: ServiceInfo = {
  label: 'Hugging Face Jobs',
  authHint: 'Set HF_TOKEN to a valid Hugging Face token with write access: Jobs need one.',
  forbiddenHint:
    'HF_TOKEN cannot run jobs in this namespace: use the token owner or an org they belong to (config jobs.namespace), with a token allowed to start jobs there.',
  notFoundHint:
    'Check the id (`ps` or `scheduled ps` lists them) and that it belongs to this namespace (config jobs.namespace).',
};

export const BILLING_URL = 'https://huggingface.co/settings/billing';

// The words the Hub uses when a namespace cannot pay (the reference agent's `is_billing_error`).
const BILLING_WORDS =
  /\b(insufficient[_\s-]?credits?|out\s+of\s+credits?|payment\s+required|billing|no\s+credits?|add\s+credits?|requires?\s+credits?|credits?\s+(?:exhausted|used\s+up|limit))\b/i;

/** A 402, or a refusal worded as a billing problem. */
export function isBillingFailure(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  if (err.status === 402) return true;
  return err.status !== undefined && err.status >= 400 && err.status < 500 && BILLING_WORDS.test(err.message);
}

/** The message for a launch the namespace cannot pay for: what to tell the user, and the link. */
export function billingError(namespace: string, cause: unknown): ServiceError {
  return new ServiceError(
    `Hugging Face Jobs refused to start the job: the namespace "${namespace}" has no credits or payment method for Jobs (402, billing required). Jobs are billed to the namespace, separately from a PRO subscription. Ask the user to add credits at ${BILLING_URL}, then run the same job again.`,
    { status: 402, cause },
  );
}

/**
 * Runs one Jobs API call and words what it throws: the shared client's `ServiceError`s pass, an
 * answer that is not JSON is a malformed answer, an interrupted turn says so.
 */
export async function viaJobsApi<T>(signal: AbortSignal, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw jobsFailure(err, signal, what);
  }
}

export function jobsFailure(err: unknown, signal: AbortSignal, what: string): ServiceError {
  if (signal.aborted) return new ServiceError('Stopped: the turn was interrupted.', { cause: err });
  if (err instanceof ServiceError) return err;
  if (err instanceof InvalidApiResponseFormatError || err instanceof SyntaxError)
    return malformedAnswer(what, err);
  return hubServiceError(err, what);
}

export function malformedAnswer(what: string, cause?: unknown): ServiceError {
  return new ServiceError(
    `${JOBS_SERVICE.label} sent an answer that could not be read for ${what}; try again later.`,
    {
      cause,
    },
  );
}
