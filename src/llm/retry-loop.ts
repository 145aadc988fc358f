import { InterruptedError, LlmError, type MlInternError } from '../core/errors.js';
import type { Metrics } from '../core/metrics.js';
import type { LlmResponse } from '../core/llm-provider.js';
import { CallbackError, type Failure } from './call-failure.js';
import { sleep } from './http-retry.js';
import type { ProviderLogger } from './sdk-logger.js';

/** How one provider retries: its metrics labels, its limits and its logger. */
export interface RetryPolicy {
  /** Metrics `service` label: `anthropic`, `openai`, `hf_router`. */
  service: string;
  /** Metrics `method` label: `messages`, `chat.completions`. */
  method: string;
  /** The service as log lines name it: "Anthropic", "the HF router". */
  label: string;
  /** Retries after the first attempt, for transient failures. */
  maxRetries: number;
  /** First backoff delay in ms; it doubles on each retry. */
  retryBaseMs: number;
  /** Longest backoff delay in ms. */
  retryMaxMs: number;
  /** A `retry-after` longer than this (ms) is not waited out: the error is thrown at once. */
  maxRetryAfterMs: number;
  metrics: Metrics;
  logger?: ProviderLogger | undefined;
}

/** Whether text already reached the caller during an attempt (then it must not be retried). */
export interface AttemptProgress {
  textEmitted: boolean;
}

/**
 * Runs `attempt` until it succeeds, retrying what `classify` calls retryable with exponential
 * backoff (or the server's `retry-after`), logging and counting each retry. Nothing is retried once
 * text has reached the caller: a second attempt would show the user a different answer.
 */
export async function callWithRetries(
  policy: RetryPolicy,
  model: string,
  signal: AbortSignal,
  attempt: (progress: AttemptProgress) => Promise<LlmResponse>,
  classify: (err: unknown) => Failure,
): Promise<LlmResponse> {
  for (let n = 0; ; n++) {
    if (signal.aborted) throw new InterruptedError();
    const progress: AttemptProgress = { textEmitted: false };
    try {
      const response = await attempt(progress);
      policy.metrics.apiCall(policy.service, policy.method, 'ok');
      return response;
    } catch (err) {
      if (signal.aborted || err instanceof InterruptedError) throw new InterruptedError();
      if (err instanceof CallbackError) throw err.cause;
      const failure = classify(err);
      const status = statusOf(failure.error);
      policy.metrics.apiCall(policy.service, policy.method, status === 429 ? 'rate_limited' : 'error');
      if (progress.textEmitted) {
        throw withStatus(
          `the response stream failed after text was shown (${failure.error.message})`,
          failure.error,
          err,
        );
      }
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
        throw waitTooLong(policy, failure);
      }
      if (!failure.retryable || n >= policy.maxRetries) throw failure.error;
      policy.metrics.apiRetry(policy.service);
      const delayMs = failure.retryAfterMs ?? backoffMs(policy, n);
      policy.logger?.warn(
        {
          attempt: n + 1,
          maxRetries: policy.maxRetries,
          delayMs: Math.round(delayMs),
          code: failure.error.code,
          status,
          model,
        },
        `${policy.label} call failed, retrying: ${failure.error.message}`,
      );
      await sleep(delayMs, signal);
    }
  }
}

function statusOf(error: MlInternError): number | undefined {
  return error instanceof LlmError ? error.status : undefined;
}

/** An LlmError with a new message that keeps the original's code and status. */
function withStatus(message: string, error: MlInternError, cause: unknown): LlmError {
  const status = statusOf(error);
  return new LlmError(message, { cause, code: error.code, ...(status !== undefined ? { status } : {}) });
}

/** Exponential backoff with up to 25 % jitter, so that many sessions do not retry in step. */
function backoffMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** attempt);
  return ceiling * (1 - Math.random() * 0.25);
}

/** The server asked for a longer wait than `llm.maxRetryAfterMs` allows: say so, do not wait. */
function waitTooLong(policy: RetryPolicy, failure: Failure): LlmError {
  const seconds = Math.ceil((failure.retryAfterMs ?? 0) / 1000);
  const limit = Math.round(policy.maxRetryAfterMs / 1000);
  return withStatus(
    `${failure.error.message} (the API asked to retry after ${seconds} s, over the ${limit} s that llm.maxRetryAfterMs allows)`,
    failure.error,
    failure.error,
  );
}
