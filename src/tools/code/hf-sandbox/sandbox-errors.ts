import { MlInternError } from '../../../core/errors.js';

export type SandboxErrorCode =
  | 'sandbox_no_token'
  | 'sandbox_auth'
  | 'sandbox_not_found'
  | 'sandbox_rate_limited'
  | 'sandbox_unreachable'
  | 'sandbox_not_ready'
  | 'sandbox_gone'
  | 'sandbox_protocol'
  | 'sandbox_failed';

/**
 * A failure of the HF sandbox (its job or its server), worded for the model: what happened and what
 * to do. Never carries a token (messages are built here, from status codes and the server's short
 * `error` text with both tokens cut out).
 */
export class SandboxError extends MlInternError {
  declare readonly code: SandboxErrorCode;
  readonly status: number | undefined;
  constructor(
    code: SandboxErrorCode,
    message: string,
    options: { status?: number | undefined; cause?: unknown } = {},
  ) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.status = options.status;
  }
}

/** The sandbox server answered `status` to `what`: the message the model reads. */
export function sandboxHttpError(status: number, what: string, serverSaid: string): SandboxError {
  const said = serverSaid ? ` (the sandbox said: ${serverSaid})` : '';
  switch (status) {
    case 401:
      return new SandboxError(
        'sandbox_auth',
        `The jobs proxy refused ${what} (401): HF_TOKEN is not valid for this sandbox's namespace. Ask the operator to check HF_TOKEN.`,
        { status },
      );
    case 403:
      return new SandboxError(
        'sandbox_auth',
        `The sandbox refused ${what} (403)${said}: its token does not match. The sandbox will be replaced on the next call if this persists.`,
        { status },
      );
    case 404:
      return new SandboxError('sandbox_not_found', `Not found: ${what}${said}.`, { status });
    case 429:
      return new SandboxError(
        'sandbox_rate_limited',
        `The sandbox is rate limited (429) for ${what}; wait a little, then try again.`,
        { status },
      );
    default:
      return new SandboxError('sandbox_failed', `The sandbox failed ${what} (${status})${said}.`, { status });
  }
}
