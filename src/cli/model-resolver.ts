import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { LlmProvider } from '../core/llm-provider.js';
import { MlInternError } from '../core/errors.js';
import type { Metrics } from '../core/metrics.js';
import type { ResolvedModel } from '../agent/agent-deps.js';
import { AnthropicProvider } from '../llm/anthropic-provider.js';
import { contextWindowOf, costOf, parseModelName } from '../llm/model-catalog.js';

/**
 * Turns `<provider>/<model-id>` into a provider, context window and price. The Anthropic client is
 * built on first use, so a process that never calls the model (a gateway) needs no API key.
 */
export class ModelResolver {
  private anthropic: AnthropicProvider | undefined;

  constructor(
    private readonly options: {
      config: Config;
      logger: Logger;
      anthropic?: { apiKey?: string; baseURL?: string } | undefined;
      /** Replaces the provider for every model (the scripted LLM of tests and the benchmark). */
      llm?: LlmProvider | undefined;
      metrics?: Metrics | undefined;
      redact?: ((text: string) => string) | undefined;
    },
  ) {}

  resolve(name: string): ResolvedModel {
    const { modelId } = parseModelName(name);
    return {
      provider: this.options.llm ?? this.anthropicProvider(),
      modelId,
      contextWindow: this.contextWindow(name),
      costOf: (usage) => costOf(modelId, usage),
    };
  }

  /** The context window of a model name (0 when the name is not one we can serve). */
  contextWindow(name: string): number {
    try {
      return this.options.config.contextWindowTokens ?? contextWindowOf(parseModelName(name).modelId);
    } catch {
      return 0;
    }
  }

  private anthropicProvider(): AnthropicProvider {
    const { anthropic, config, logger } = this.options;
    if (!anthropic?.apiKey) {
      throw new MlInternError(
        'no_api_key',
        'No Anthropic API key: set ANTHROPIC_API_KEY (in the environment or .env).',
      );
    }
    this.anthropic ??= new AnthropicProvider({
      apiKey: anthropic.apiKey,
      ...(anthropic.baseURL ? { baseURL: anthropic.baseURL } : {}),
      maxRetries: config.llm.maxRetries,
      timeoutMs: config.llm.timeoutMs,
      maxRetryAfterMs: config.llm.maxRetryAfterMs,
      logger,
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      ...(this.options.redact ? { redact: this.options.redact } : {}),
    });
    return this.anthropic;
  }
}
