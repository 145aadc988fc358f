import { ServiceError } from '../shared/service-error.js';
import type { HubAccess } from './hub-access.js';
import type { ViewerCallError } from './viewer-client.js';

/** `X-Error-Code`s by which the viewer refuses access (libapi/exceptions.py): gated, private or missing. */
export const ACCESS_CODES = new Set(['ExternalAuthenticatedError', 'ExternalUnauthenticatedError']);

const FILES_HINT = 'hf_repo_files (operation "list", repo_type "dataset") can still list and read its files';

/**
 * The one message the model gets when the dataset as a whole cannot be inspected, saying what to
 * do next. `access` is the Hub's answer, asked only when the viewer refused access.
 */
export function datasetFailure(
  dataset: string,
  err: ViewerCallError,
  context: { hasToken: boolean; access?: HubAccess | undefined },
): ServiceError {
  const page = `https://huggingface.co/datasets/${dataset}`;
  const fail = (message: string): ServiceError =>
    new ServiceError(message, { status: err.status, cause: err });
  if (err.errorCode && ACCESS_CODES.has(err.errorCode)) {
    switch (context.access) {
      case 'gated':
        return fail(
          context.hasToken
            ? `Dataset ${dataset} is gated and the account of HF_TOKEN has not been granted access. Accept its conditions at ${page} while logged in as that account (some gates also wait for the authors' approval), then inspect it again.`
            : `Dataset ${dataset} is gated: set HF_TOKEN to a token of an account that has accepted its conditions at ${page}.`,
        );
      case 'bad-token':
        return fail(
          `The Hub refused HF_TOKEN (invalid or expired) while checking dataset ${dataset}: set HF_TOKEN to a valid token.`,
        );
      case 'forbidden':
        return fail(
          `HF_TOKEN may not read dataset ${dataset} (a fine-grained token must include it, or the repo's access was restricted). Use a token with read access to it.`,
        );
      default:
        return fail(
          context.hasToken
            ? `Dataset ${dataset} was not found: no dataset has this id, or it is private and the account of HF_TOKEN cannot see it. Check the id (owner/name, as on ${page}), or use a token of an account with access.`
            : `Dataset ${dataset} was not found: no dataset has this id, or it is private or gated and needs a token. Check the id (owner/name), or set HF_TOKEN.`,
        );
    }
  }
  switch (err.errorCode) {
    case 'NotSupportedPrivateRepositoryError':
      return fail(
        `Dataset ${dataset} is private, and the dataset viewer serves private datasets only to PRO accounts and Enterprise organizations, so there is no preview. ${FILES_HINT}.`,
      );
    case 'NotSupportedRepositoryNotFoundError':
      return fail(`Dataset ${dataset} was not found on the Hub. Check the id (owner/name, as on ${page}).`);
    case 'NotSupportedDisabledViewerError':
      return fail(
        `The viewer is turned off in the card of dataset ${dataset} (viewer: false), so there is no preview. ${FILES_HINT}.`,
      );
    case 'NotSupportedDisabledRepositoryError':
      return fail(`Dataset ${dataset} is disabled on the Hub; it cannot be used.`);
    case 'DatasetInBlockListError':
      return fail(
        `The dataset viewer does not process dataset ${dataset} (it is on its block list). ${FILES_HINT}.`,
      );
    case 'ResponseNotReady':
    case 'ResponseNotReadyError':
      return fail(
        `The dataset viewer has not processed dataset ${dataset} yet (a new or just-updated dataset takes minutes, a big one longer). Try again in a few minutes; meanwhile ${FILES_HINT}.`,
      );
    case 'ResponseNotFound':
      return fail(
        `The dataset viewer has nothing for dataset ${dataset} (no data files it can read, or not processed). Check the id; ${FILES_HINT}.`,
      );
    default:
      if (err.errorCode && err.serverText) {
        return fail(
          `The dataset viewer cannot read dataset ${dataset} (${err.errorCode}: ${err.serverText}). ${FILES_HINT}; \`datasets.load_dataset\` may still work.`,
        );
      }
      return fail(`Could not inspect dataset ${dataset}: ${err.message}`);
  }
}

/** `/splits` answered, but with no split at all: still processing (configs pending), or nothing to read. */
export function noSplitsFailure(dataset: string, pending: boolean): ServiceError {
  return new ServiceError(
    pending
      ? `The dataset viewer is still processing dataset ${dataset} (no split is ready yet). Try again in a few minutes; meanwhile ${FILES_HINT}.`
      : `The dataset viewer finds no split in dataset ${dataset} (no data files it can read). ${FILES_HINT}.`,
  );
}

/** A short reason for a section that could not be fetched (the rest of the result still stands). */
export function sectionWarning(what: string, err: ViewerCallError): string {
  if (err.errorCode === 'ResponseNotReady' || err.errorCode === 'ResponseNotReadyError') {
    return `${what}: not ready yet in the dataset viewer; try again in a few minutes`;
  }
  if (err.errorCode === 'ResponseNotFound') return `${what}: not available in the dataset viewer`;
  if (err.errorCode && err.serverText) return `${what}: ${err.errorCode} (${err.serverText})`;
  return `${what}: ${err.message}`;
}
