import Anthropic, { AnthropicError } from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import type { Stream } from '@anthropic-ai/sdk/core/streaming';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { InterruptedError } from '../core/errors.js';
import { noopMetrics, type Metrics } from '../core/metrics.js';
import type { LlmProvider, LlmRequest, LlmResponse } from '../core/llm-provider.js';
import { keepAliveStreamingFetch } from '../http/keep-alive-streaming-fetch.js';
import type { Fetch } from '../http/keep-alive-transport.js';
import { buildAnthropicPrompt } from './anthropic-messages.js';
import { AnthropicWireBody } from './anthropic-wire-body.js';
import { classifyFailure } from './anthropic-failures.js';
import { ResponseAccumulator } from './anthropic-response.js';
import { CallbackError, messageOf, StreamBrokenError } from './call-failure.js';
import { redactKey } from './redact-key.js';
import { callWithRetries, type AttemptProgress, type RetryPolicy } from './retry-loop.js';
import { sdkLoggerFor, type ProviderLogger } from './sdk-logger.js';
import { StallGuard } from './stall-guard.js';
import { pumpStream } from './stream-pump.js';

export type { ProviderLogger };

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
  /** What the SDK sends with; by default a {@link keepAliveStreamingFetch} of this provider's own. */
  fetch?: Fetch;
}

/**
 * The Anthropic Messages API behind {@link LlmProvider}. Always streams on the wire. Retries are
 * its own (the SDK's are off) so that each is logged, so that a stream that breaks after its
 * headers is retried too, and so that nothing is retried once text has reached `onText`.
 */
export class AnthropicProvider implements LlmProvider {
  private readonly client: Anthropic;
  private readonly wireBody = new AnthropicWireBody();
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly redact: (text: string) => string;

  constructor(options: AnthropicProviderOptions) {
    this.timeoutMs = options.timeoutMs;
    this.redact = redactKey(options.apiKey, options.redact);
    this.policy = {
      service: 'anthropic',
      method: 'messages',
      label: 'Anthropic',
      maxRetries: options.maxRetries,
      retryBaseMs: options.retryBaseMs ?? 500,
      retryMaxMs: options.retryMaxMs ?? 8_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      metrics: options.metrics ?? noopMetrics,
      logger: options.logger,
    };
    const clientOptions: ClientOptions = {
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: options.timeoutMs,
      // Node's fetch costs half as much client CPU again per streamed call (≈1.2 vs 0.8 ms, a 40 KB
      // request), which in a burst of turns delays the requests of the later ones.
      fetch: options.fetch ?? keepAliveStreamingFetch(),
    };
    if (options.baseURL !== undefined) clientOptions.baseURL = options.baseURL;
    if (options.logger !== undefined) clientOptions.logger = sdkLoggerFor(options.logger, 'anthropic-sdk');
    this.client = new Anthropic(clientOptions);
  }

  complete(request: LlmRequest, onText: (delta: string) => void, signal: AbortSignal): Promise<LlmResponse> {
    const body = this.wireBody.json(request, buildAnthropicPrompt(request));
    // With `stream: false` the caller wants one message, so deltas are kept, not shown.
    const emit = request.stream ? onText : undefined;
    return callWithRetries(
      this.policy,
      request.model,
      signal,
      (progress) => this.attempt(body, emit, signal, progress),
      (err) => classifyFailure(err, this.redact),
    );
  }

  /** One request and its whole stream. Throws on any failure; the retry loop decides about retrying. */
  private async attempt(
    body: string,
    onText: ((delta: string) => void) | undefined,
    signal: AbortSignal,
    progress: AttemptProgress,
  ): Promise<LlmResponse> {
    const guard = new StallGuard(signal, this.timeoutMs);
    const accumulator = new ResponseAccumulator();
    const stallError = (): StreamBrokenError =>
      new StreamBrokenError(`no data from the Anthropic API for ${this.timeoutMs} ms`);
    try {
      try {
        // `messages.create` with the body already serialized (see AnthropicWireBody): a string body
        // with its content type is sent as it is. Nothing else of `create` applies here (betas,
        // workspace headers, tracing spans).
        const stream = (await this.client.post('/v1/messages', {
          body,
          headers: { 'content-type': 'application/json' },
          stream: true,
          signal: guard.signal,
        })) as Stream<RawMessageStreamEvent>;
        await pumpStream(stream, (event) => accumulator.apply(event), onText, guard, progress);
      } catch (err) {
        if (err instanceof CallbackError || signal.aborted) throw err;
        if (guard.stalled) throw stallError();
        // The SDK's own errors (API errors, bad configuration) are classified as they are; anything
        // else comes from reading the body (socket reset, truncated SSE): a transport failure.
        if (err instanceof AnthropicError) throw err;
        throw new StreamBrokenError(`the response stream broke: ${messageOf(err)}`);
      }
      // The SDK's stream ends quietly when aborted, so an abort is only visible here.
      if (signal.aborted) throw new InterruptedError();
      if (guard.stalled) throw stallError();
      if (!accumulator.finished) throw new StreamBrokenError('the response stream ended before message_stop');
      return accumulator.response();
    } finally {
      guard.dispose();
    }
  }
}
