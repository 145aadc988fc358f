/**
 * Typed errors. Every error the project raises on purpose has a string `code`; users see the
 * `userMessage` (short, no secrets), logs see the rest.
 */
export class MlInternError extends Error {
  readonly code: string;
  readonly userMessage: string;
  constructor(code: string, message: string, options?: { cause?: unknown; userMessage?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.userMessage = options?.userMessage ?? message;
  }
}

/** The prompt no longer fits the model's context window. */
export class ContextWindowExceededError extends MlInternError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('context_window_exceeded', message, {
      ...options,
      userMessage: 'The conversation is too long for the model.',
    });
  }
}

/** The LLM provider failed after its retries (or failed in a way retries cannot fix). */
export class LlmError extends MlInternError {
  readonly status: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number; code?: string }) {
    super(options?.code ?? 'llm_error', message, {
      ...options,
      userMessage: `The language model failed: ${message}`,
    });
    this.status = options?.status;
  }
}

/** The run was interrupted by the user (Stop / Ctrl+C). */
export class InterruptedError extends MlInternError {
  constructor() {
    super('interrupted', 'Interrupted by the user.');
  }
}

/** The configuration is invalid; `issues` names every bad field. */
export class ConfigError extends MlInternError {
  readonly issues: string[];
  constructor(issues: string[]) {
    super('invalid_config', `Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.issues = issues;
  }
}

/** Renders any thrown value as a short, safe line for a user (never a stack trace). */
export function userMessageOf(err: unknown): { code: string; message: string } {
  if (err instanceof MlInternError) return { code: err.code, message: err.userMessage };
  return {
    code: 'internal_error',
    message: 'Something went wrong inside the intern; the team can see the logs.',
  };
}
