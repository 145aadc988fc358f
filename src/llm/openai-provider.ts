import OpenAI, { OpenAIError } from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { InterruptedError } from '../core/errors.js';
import { noopMetrics, type Metrics } from '../core/metrics.js';
import type { LlmProvider, LlmRequest, LlmResponse } from '../core/llm-provider.js';
import { keepAliveStreamingFetch } from '../http/keep-alive-streaming-fetch.js';
import type { Fetch } from '../http/keep-alive-transport.js';
import { CallbackError, messageOf, StreamBrokenError } from './call-failure.js';
import { classifyOpenAiFailure, type ServerContext } from './openai-failures.js';
import { toOpenAiMessages, toOpenAiTools } from './openai-messages.js';
import { ChatStreamAccumulator } from './openai-response.js';
import { redactKey } from './redact-key.js';
import { callWithRetries, type AttemptProgress, type RetryPolicy } from './retry-loop.js';
import { sdkLoggerFor, type ProviderLogger } from './sdk-logger.js';
import { StallGuard } from './stall-guard.js';
import { pumpStream } from './stream-pump.js';

/** Local servers need no key, but the SDK insists on one; this is what goes in their header. */
const NO_KEY = 'not-needed';

export interface OpenAiProviderOptions {
  /** With its `/v1`, as the SDK's own default has it: `http://127.0.0.1:11434/v1`. */
  baseURL: string;
  /** Unset for a local server that needs none. */
  apiKey?: string | undefined;
  /** Metrics `service` label and log wording: `hf_router` / "the HF router". */
  service: string;
  label: string;
  /** The variable a 401 message tells the user to check. */
  keyVariable: string;
  maxRetries: number;
  /** Longest wait for the response headers, and then between two stream chunks. */
  timeoutMs: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  maxRetryAfterMs?: number;
  logger?: ProviderLogger;
  metrics?: Metrics;
  redact?: (text: string) => string;
  /** What the SDK sends with; by default a {@link keepAliveStreamingFetch} of this provider's own. */
  fetch?: Fetch;
}

/**
 * Any OpenAI-compatible Chat Completions server behind {@link LlmProvider}: Hugging Face Inference
 * Providers through the router, or a local vLLM, Ollama, llama.cpp or TGI. Always streams on the
 * wire with usage in the last chunk. Retries are the shared loop's (the SDK's are off), so they are
 * logged and counted like Anthropic's, and nothing is retried once text has been shown.
 */
export class OpenAiProvider implements LlmProvider {
  private readonly client: OpenAI;
  private readonly options: OpenAiProviderOptions;
  private readonly policy: RetryPolicy;
  private readonly redact: (text: string) => string;
  /** OpenAI's own API wants `max_completion_tokens`; the compatible servers know `max_tokens`. */
  private readonly completionTokensField: 'max_tokens' | 'max_completion_tokens';

  constructor(options: OpenAiProviderOptions) {
    this.options = options;
    this.redact = redactKey(options.apiKey, options.redact);
    this.policy = {
      service: options.service,
      method: 'chat.completions',
      label: options.label,
      maxRetries: options.maxRetries,
      retryBaseMs: options.retryBaseMs ?? 500,
      retryMaxMs: options.retryMaxMs ?? 8_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      metrics: options.metrics ?? noopMetrics,
      logger: options.logger,
    };
    this.completionTokensField = isOpenAiItself(options.baseURL) ? 'max_completion_tokens' : 'max_tokens';
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey || NO_KEY,
      maxRetries: 0,
      timeout: options.timeoutMs,
      // node:http rather than Node's fetch: a third less client CPU per streamed call.
      fetch: options.fetch ?? keepAliveStreamingFetch(),
      ...(options.logger ? { logger: sdkLoggerFor(options.logger, 'openai-sdk') } : {}),
    });
  }

  complete(request: LlmRequest, onText: (delta: string) => void, signal: AbortSignal): Promise<LlmResponse> {
    const params: ChatCompletionCreateParamsStreaming = {
      model: request.model,
      messages: toOpenAiMessages(request.system, request.messages),
      stream: true,
      stream_options: { include_usage: true },
      [this.completionTokensField]: request.maxTokens,
    };
    if (request.tools.length > 0) params.tools = toOpenAiTools(request.tools);
    const emit = request.stream ? onText : undefined;
    const server: ServerContext = {
      label: this.options.label,
      keyVariable: this.options.keyVariable,
      model: request.model,
    };
    return callWithRetries(
      this.policy,
      request.model,
      signal,
      (progress) => this.attempt(params, emit, signal, progress),
      (err) => classifyOpenAiFailure(err, server, this.redact),
    );
  }

  private async attempt(
    params: ChatCompletionCreateParamsStreaming,
    onText: ((delta: string) => void) | undefined,
    signal: AbortSignal,
    progress: AttemptProgress,
  ): Promise<LlmResponse> {
    const guard = new StallGuard(signal, this.options.timeoutMs);
    const accumulator = new ChatStreamAccumulator();
    const stallError = (): StreamBrokenError =>
      new StreamBrokenError(`no data from ${this.options.label} for ${this.options.timeoutMs} ms`);
    try {
      try {
        const stream = await this.client.chat.completions.create(params, { signal: guard.signal });
        await pumpStream(stream, (chunk) => accumulator.apply(chunk), onText, guard, progress);
      } catch (err) {
        if (err instanceof CallbackError || signal.aborted) throw err;
        if (guard.stalled) throw stallError();
        if (err instanceof OpenAIError) throw err;
        throw new StreamBrokenError(
          `the response stream from ${this.options.label} broke: ${messageOf(err)}`,
        );
      }
      if (signal.aborted) throw new InterruptedError();
      if (guard.stalled) throw stallError();
      if (!accumulator.finished) {
        throw new StreamBrokenError(
          `the response stream from ${this.options.label} ended before its finish_reason`,
        );
      }
      return accumulator.response();
    } finally {
      guard.dispose();
    }
  }
}

function isOpenAiItself(baseURL: string): boolean {
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}
