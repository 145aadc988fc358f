import { MlInternError } from '../../core/errors.js';

/**
 * A service a tool called failed in a way the model should hear about: a short message that says
 * what happened and what to do next (log in, accept the gate, check the id, wait). Thrown out of a
 * tool, it becomes the call's error result; no stack and no token ever goes into it.
 */
export class ServiceError extends MlInternError {
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number | undefined; cause?: unknown } = {}) {
    super('service_error', message, options.cause === undefined ? {} : { cause: options.cause });
    this.status = options.status;
  }
}

/** The model asked for something the tool cannot do as asked (a bad id, a path outside a repo). */
export class ToolInputError extends MlInternError {
  constructor(message: string) {
    super('tool_input', message);
  }
}
