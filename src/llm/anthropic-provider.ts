import Anthropic, { AnthropicError } from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import { InterruptedError, LlmError } from '../core/errors.js';
import type { MlInternError } from '../core/errors.js';
import { noopMetrics, type Metrics } from '../core/metrics.js';
import type { LlmProvider, LlmRequest, LlmResponse } from '../core/llm-provider.js';
import { buildAnthropicPrompt } from './anthropic-messages.js';
import { sdkLoggerFor, type ProviderLogger } from './anthropic-sdk-logger.js';

export type { ProviderLogger };
import { ResponseAccumulator } from './anthropic-response.js';
import { sleep } from './anthropic-retry.js';
import { classifyFailure, StreamBrokenError, type Failure } from './anthropic-failures.js';

export interface AnthropicProviderOptions {
  apiKey: string;
  /** Without `/v1`. When absent the SDK's own default applies (`ANTHROPIC_BASE_URL`, else api.anthropic.com). */
  baseURL?: string;
  /** Retries after the first attempt, for transient failures (429, 5xx, 529, connection, stalled stream). */
  maxRetries: number;
  /** Longest wait for the response headers, and then between two stream events. */
  timeoutMs: number;
  logger?: ProviderLogger;
  /** First backoff delay in ms; it doubles on each retry. Default 500. */
  retryBaseMs?: number;
  /** Longest backoff delay in ms. Default 8000. */
  retryMaxMs?: number;
  /** A `retry-after` longer than this (ms) is not waited out: the error is thrown at once. Default 60000. */
  maxRetryAfterMs?: number;
  /** Counts calls, retries and 429s (service `anthropic`). */
  metrics?: Metrics;
  /** The process's redactor; without it, only the API key itself is removed from error messages. */
  redact?: (text: string) => string;
}

/** `onText` threw: the caller's error, passed through untouched rather than retried. */
class CallbackError extends Error {}

/**
 * The Anthropic Messages API behind {@link LlmProvider}. Always streams on the wire. Retries are
 * its own (the SDK's are off) so that each is logged, so that a stream that breaks after its
 * headers is retried too, and so that nothing is retried once text has reached `onText`.
 */
export class AnthropicProvider implements LlmProvider {
  private readonly client: Anthropic;
  private readonly apiKey: string;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly logger: ProviderLogger | undefined;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly metrics: Metrics;
  private readonly redactor: ((text: string) => string) | undefined;

  constructor(options: AnthropicProviderOptions) {
    this.apiKey = options.apiKey;
    this.maxRetries = options.maxRetries;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 8_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.metrics = options.metrics ?? noopMetrics;
    this.redactor = options.redact;
    const clientOptions: ClientOptions = {
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: options.timeoutMs,
    };
    if (options.baseURL !== undefined) clientOptions.baseURL = options.baseURL;
    if (options.logger !== undefined) clientOptions.logger = sdkLoggerFor(options.logger);
    this.client = new Anthropic(clientOptions);
  }

  async complete(
    request: LlmRequest,
    onText: (delta: string) => void,
    signal: AbortSignal,
  ): Promise<LlmResponse> {
    const prompt = buildAnthropicPrompt(request);
    const params: MessageCreateParamsStreaming = {
      model: request.model,
      max_tokens: request.maxTokens,
      messages: prompt.messages,
      stream: true,
    };
    if (prompt.system.length > 0) params.system = prompt.system;
    if (prompt.tools.length > 0) params.tools = prompt.tools;
    // With `stream: false` the caller wants one message, so deltas are kept, not shown.
    const emit = request.stream ? onText : undefined;

    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw new InterruptedError();
      const progress = { textEmitted: false };
      try {
        const response = await this.attempt(params, emit, signal, progress);
        this.metrics.apiCall('anthropic', 'messages', 'ok');
        return response;
      } catch (err) {
        if (signal.aborted || err instanceof InterruptedError) throw new InterruptedError();
        if (err instanceof CallbackError) throw err.cause;
        const failure = classifyFailure(err, (text) => this.redact(text));
        const status = failure.error instanceof LlmError ? failure.error.status : undefined;
        this.metrics.apiCall('anthropic', 'messages', status === 429 ? 'rate_limited' : 'error');
        if (progress.textEmitted) {
          // Chunks already went out; a second attempt would show the user a different answer.
          throw new LlmError(`the response stream failed after text was shown (${failure.error.message})`, {
            cause: err,
            code: failure.error.code,
            ...(failure.error instanceof LlmError && failure.error.status !== undefined
              ? { status: failure.error.status }
              : {}),
          });
        }
        const waitTooLong = failure.retryAfterMs !== undefined && failure.retryAfterMs > this.maxRetryAfterMs;
        if (waitTooLong) throw this.waitTooLong(failure);
        if (!failure.retryable || attempt >= this.maxRetries) throw failure.error;
        this.metrics.apiRetry('anthropic');
        const delayMs = failure.retryAfterMs ?? this.backoffMs(attempt);
        this.logger?.warn(
          {
            attempt: attempt + 1,
            maxRetries: this.maxRetries,
            delayMs: Math.round(delayMs),
            code: failure.error.code,
            status: failure.error instanceof LlmError ? failure.error.status : undefined,
            model: request.model,
          },
          `Anthropic call failed, retrying: ${failure.error.message}`,
        );
        await sleep(delayMs, signal);
      }
    }
  }

  /** One request and its whole stream. Throws on any failure; `complete` decides about retrying. */
  private async attempt(
    params: MessageCreateParamsStreaming,
    onText: ((delta: string) => void) | undefined,
    signal: AbortSignal,
    progress: { textEmitted: boolean },
  ): Promise<LlmResponse> {
    // Our own controller: the stall timer aborts this attempt without touching the caller's signal.
    const controller = new AbortController();
    const abortAttempt = (): void => controller.abort();
    signal.addEventListener('abort', abortAttempt, { once: true });
    let stalled = false;
    let timer: NodeJS.Timeout | undefined;
    // The SDK's timeout ends at the headers; this one also covers silence in the middle of the stream.
    const armStallTimer = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, this.timeoutMs);
    };
    const accumulator = new ResponseAccumulator();
    try {
      armStallTimer();
      try {
        const stream = await this.client.messages.create(params, { signal: controller.signal });
        for await (const event of stream) {
          armStallTimer();
          const delta = accumulator.apply(event);
          if (delta.length > 0 && onText !== undefined) {
            progress.textEmitted = true;
            try {
              onText(delta);
            } catch (err) {
              throw new CallbackError('onText threw', { cause: err });
            }
          }
        }
      } catch (err) {
        if (err instanceof CallbackError || signal.aborted) throw err;
        if (stalled) throw new StreamBrokenError(`no data from the Anthropic API for ${this.timeoutMs} ms`);
        // The SDK's own errors (API errors, bad configuration) are classified as they are; anything
        // else comes from reading the body (socket reset, truncated SSE): a transport failure.
        if (err instanceof AnthropicError) throw err;
        throw new StreamBrokenError(`the response stream broke: ${messageOf(err)}`);
      }
      // The SDK's stream ends quietly when aborted, so an abort is only visible here.
      if (signal.aborted) throw new InterruptedError();
      if (stalled) throw new StreamBrokenError(`no data from the Anthropic API for ${this.timeoutMs} ms`);
      if (!accumulator.finished) throw new StreamBrokenError('the response stream ended before message_stop');
      return accumulator.response();
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abortAttempt);
    }
  }

  /** Exponential backoff with up to 25 % jitter, so that many sessions do not retry in step. */
  private backoffMs(attempt: number): number {
    const ceiling = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** attempt);
    return ceiling * (1 - Math.random() * 0.25);
  }

  /** The server asked for a longer wait than `llm.maxRetryAfterMs` allows: say so, do not wait. */
  private waitTooLong(failure: Failure): MlInternError {
    const seconds = Math.ceil((failure.retryAfterMs ?? 0) / 1000);
    const { error } = failure;
    return new LlmError(
      `${error.message} (the API asked to retry after ${seconds} s, over the ${Math.round(this.maxRetryAfterMs / 1000)} s that llm.maxRetryAfterMs allows)`,
      {
        cause: error,
        code: error.code,
        ...(error instanceof LlmError && error.status !== undefined ? { status: error.status } : {}),
      },
    );
  }

  /** The key never belongs in a message, even if a proxy echoes it back. */
  private redact(text: string): string {
    const withoutKey = this.apiKey.length >= 8 ? text.split(this.apiKey).join('[redacted]') : text;
    return this.redactor ? this.redactor(withoutKey) : withoutKey;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
