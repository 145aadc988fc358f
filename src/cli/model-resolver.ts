import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { DEFAULT_HF_ROUTER_URL } from '../config/environment.js';
import type { LlmProvider } from '../core/llm-provider.js';
import { MlInternError } from '../core/errors.js';
import type { Metrics } from '../core/metrics.js';
import type { ResolvedModel } from '../agent/agent-deps.js';
import { AnthropicProvider } from '../llm/anthropic-provider.js';
import { catalogEntryOf } from '../llm/model-catalog.js';
import {
  costWith,
  routerFigures,
  UNKNOWN_OPEN_MODEL_WINDOW,
  type ModelFigures,
} from '../llm/model-figures.js';
import { parseModelName, splitRouterModel, type ParsedModelName } from '../llm/model-name.js';
import { OpenAiProvider } from '../llm/openai-provider.js';
import { RouterCatalog } from '../llm/router-catalog.js';

/** Where each provider is reached and with what credential. */
export interface ModelEndpoints {
  anthropic?: { apiKey?: string | undefined; baseURL?: string | undefined } | undefined;
  /** HF Inference Providers: `HF_TOKEN` and `HF_ROUTER_URL` (with `/v1`). */
  hfRouter?: { token?: string | undefined; baseURL?: string | undefined } | undefined;
  /** `OPENAI_BASE_URL` (with `/v1`) and the optional `OPENAI_API_KEY`. */
  openai?: { apiKey?: string | undefined; baseURL?: string | undefined } | undefined;
}

/** The model needs a credential or an address that is not set. Exit 2 from the CLI. */
export class MissingModelSetupError extends MlInternError {
  constructor(message: string) {
    super('no_api_key', message);
  }
}

/** The window assumed for an Anthropic model the catalog does not know. */
const UNKNOWN_CLAUDE_WINDOW = 200_000;

/**
 * Turns `<provider>/<model>` into a provider, context window and price. Clients are built on first
 * use, so a process that never calls a model (a gateway) needs no key.
 */
export class ModelResolver {
  private readonly providers = new Map<string, LlmProvider>();
  private readonly catalog: RouterCatalog;

  constructor(
    private readonly options: ModelEndpoints & {
      config: Config;
      logger: Logger;
      /** Replaces the provider for every model (the scripted LLM of the benchmark). */
      llm?: LlmProvider | undefined;
      metrics?: Metrics | undefined;
      redact?: ((text: string) => string) | undefined;
    },
  ) {
    this.catalog = new RouterCatalog({
      baseURL: this.routerURL(),
      token: options.hfRouter?.token,
      logger: options.logger,
    });
  }

  async resolve(name: string): Promise<ResolvedModel> {
    const parsed = parseModelName(name);
    const provider = this.options.llm ?? this.providerFor(parsed);
    const figures = await this.figures(name, parsed);
    return {
      provider,
      modelId: parsed.modelId,
      contextWindow: figures.contextWindow,
      costOf: (usage) => costWith(figures, usage),
    };
  }

  /**
   * Throws a clear error when `name` cannot be served here: unknown provider, missing key or
   * address, or (for `hf/`) a model or provider the router's list does not have.
   */
  async validate(name: string): Promise<void> {
    const parsed = parseModelName(name);
    if (this.options.llm === undefined) this.providerFor(parsed);
    if (parsed.provider !== 'hf') return;
    const { hubId, suffix } = splitRouterModel(parsed.modelId);
    const found = await this.catalog.lookup(hubId);
    if (!found.found) {
      if (!found.listed) return; // no list to check against: the call itself will say
      const hint =
        found.suggestions.length > 0
          ? ` Did you mean ${found.suggestions.map((s) => `hf/${s}`).join(', ')}?`
          : '';
      throw new MlInternError(
        'unknown_model',
        `Hugging Face Inference Providers do not serve "${hubId}".${hint}`,
      );
    }
    const names = found.model.providers.map((p) => p.provider);
    if (
      suffix !== undefined &&
      !['fastest', 'cheapest', 'preferred'].includes(suffix) &&
      !names.includes(suffix)
    ) {
      throw new MlInternError(
        'unknown_model',
        `The provider "${suffix}" does not serve ${hubId}; live providers: ${names.join(', ') || 'none'}.`,
      );
    }
  }

  /** The context window of a model name (0 when the name is not one we can serve). */
  async contextWindow(name: string): Promise<number> {
    try {
      return (await this.figures(name, parseModelName(name))).contextWindow;
    } catch {
      return 0;
    }
  }

  /** Window and price: `contextWindowTokens` first, then the catalog or the router, then `models.<name>`. */
  private async figures(name: string, parsed: ParsedModelName): Promise<ModelFigures> {
    const configured = this.options.config.models[name.trim()];
    const fromConfig = {
      contextWindow: configured?.contextWindowTokens,
      price:
        configured?.usdPerMTokIn !== undefined && configured.usdPerMTokOut !== undefined
          ? { input: configured.usdPerMTokIn, output: configured.usdPerMTokOut }
          : undefined,
    };
    let known: {
      contextWindow?: number | undefined;
      price?: ModelFigures['price'];
      largePrompt?: ModelFigures['largePrompt'];
    } = {};
    let fallbackWindow = UNKNOWN_OPEN_MODEL_WINDOW;
    if (parsed.provider === 'anthropic') {
      fallbackWindow = UNKNOWN_CLAUDE_WINDOW;
      const entry = catalogEntryOf(parsed.modelId);
      if (entry) known = entry;
    } else if (parsed.provider === 'hf') {
      const { hubId, suffix } = splitRouterModel(parsed.modelId);
      const found = await this.catalog.lookup(hubId);
      if (found.found) known = routerFigures(found.model, suffix);
    }
    const figures: ModelFigures = {
      contextWindow:
        this.options.config.contextWindowTokens ??
        known.contextWindow ??
        fromConfig.contextWindow ??
        fallbackWindow,
      price: known.price ?? fromConfig.price,
    };
    if (known.largePrompt && known.price) figures.largePrompt = known.largePrompt;
    return figures;
  }

  private providerFor(parsed: ParsedModelName): LlmProvider {
    const existing = this.providers.get(parsed.provider);
    if (existing) return existing;
    const provider =
      parsed.provider === 'anthropic'
        ? this.anthropicProvider()
        : parsed.provider === 'hf'
          ? this.routerProvider()
          : this.openAiProvider();
    this.providers.set(parsed.provider, provider);
    return provider;
  }

  private anthropicProvider(): LlmProvider {
    const apiKey = this.options.anthropic?.apiKey;
    if (!apiKey) {
      throw new MissingModelSetupError(
        'No Anthropic API key: set ANTHROPIC_API_KEY for Claude, or HF_TOKEN for open models through Hugging Face Inference Providers.',
      );
    }
    const baseURL = this.options.anthropic?.baseURL;
    return new AnthropicProvider({ apiKey, ...(baseURL ? { baseURL } : {}), ...this.common() });
  }

  private routerProvider(): LlmProvider {
    const token = this.options.hfRouter?.token;
    if (!token) {
      throw new MissingModelSetupError(
        'No Hugging Face token for hf/ models: set HF_TOKEN (a token allowed to call Inference Providers).',
      );
    }
    return new OpenAiProvider({
      baseURL: this.routerURL(),
      apiKey: token,
      service: 'hf_router',
      label: 'Hugging Face Inference Providers',
      keyVariable: 'HF_TOKEN',
      ...this.common(),
    });
  }

  private openAiProvider(): LlmProvider {
    const baseURL = this.options.openai?.baseURL;
    if (!baseURL) {
      throw new MissingModelSetupError(
        'No server for openai/ models: set OPENAI_BASE_URL to an OpenAI-compatible server with its /v1 (for example http://127.0.0.1:11434/v1 for Ollama).',
      );
    }
    return new OpenAiProvider({
      baseURL,
      apiKey: this.options.openai?.apiKey,
      service: 'openai',
      label: `the OpenAI-compatible server at ${baseURL}`,
      keyVariable: 'OPENAI_API_KEY',
      ...this.common(),
    });
  }

  private common() {
    const { config, logger, metrics, redact } = this.options;
    return {
      maxRetries: config.llm.maxRetries,
      timeoutMs: config.llm.timeoutMs,
      maxRetryAfterMs: config.llm.maxRetryAfterMs,
      logger,
      ...(metrics ? { metrics } : {}),
      ...(redact ? { redact } : {}),
    };
  }

  private routerURL(): string {
    return this.options.hfRouter?.baseURL ?? DEFAULT_HF_ROUTER_URL;
  }
}
