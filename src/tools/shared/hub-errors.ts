import { HubApiError } from '@huggingface/hub';
import { ServiceError } from './service-error.js';

/** How the Hub's failures read for the model, shared by every tool that calls `@huggingface/hub`. */
export const HUB_SERVICE = {
  label: 'the Hugging Face Hub',
  authHint: 'Set HF_TOKEN to a valid token (with write access for uploads and repo changes).',
  forbiddenHint:
    'The repo may be gated (accept its conditions on its Hub page with the account of HF_TOKEN) or private, or the token lacks the permission.',
  notFoundHint:
    'Check the repo id, its type (model, dataset or space) and the path; a private repo also reads as not found without the right token.',
} as const;

/**
 * `@huggingface/hub` throws `HubApiError` with the status; this turns it (and a network failure)
 * into a {@link ServiceError} with the same wording as the plain-HTTP calls. `what` names the
 * thing asked for ("dataset stanfordnlp/imdb").
 */
export function hubServiceError(err: unknown, what: string): ServiceError {
  if (err instanceof ServiceError) return err;
  if (err instanceof HubApiError) {
    const said = err.message
      ? `: ${err.message
          .replace(/\s+/g, ' ')
          .slice(0, 200)
          .replace(/[.\s]+$/, '')}`
      : '';
    const status = err.statusCode;
    const hint =
      status === 401
        ? HUB_SERVICE.authHint
        : status === 403
          ? HUB_SERVICE.forbiddenHint
          : status === 404
            ? HUB_SERVICE.notFoundHint
            : status === 429
              ? 'Wait before retrying, or make fewer calls.'
              : status >= 500
                ? 'Try again later.'
                : '';
    return new ServiceError(`${HUB_SERVICE.label} refused ${what} (${status})${said}. ${hint}`.trim(), {
      status,
      cause: err,
    });
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new ServiceError(`Could not reach ${HUB_SERVICE.label} for ${what} (${reason}); try again later.`, {
    cause: err,
  });
}
