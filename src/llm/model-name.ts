import { MlInternError } from '../core/errors.js';

/**
 * Model names as the config, `--model` and `model <name>` write them (DESIGN.md): `anthropic/<id>`;
 * `hf/<model>[:<provider>]`, Hugging Face Inference Providers through the router; `openai/<model>`,
 * any OpenAI-compatible server at `OPENAI_BASE_URL`.
 */

export const MODEL_PROVIDERS = ['anthropic', 'hf', 'openai'] as const;
export type ModelProviderName = (typeof MODEL_PROVIDERS)[number];

const EXAMPLES = '"anthropic/claude-sonnet-5-5", "hf/moonshotai/Kimi-K2.6:groq" or "openai/llama3.1"';

/** The model name names a provider that is not supported. */
export class UnknownProviderError extends MlInternError {
  readonly provider: string;
  constructor(provider: string, modelName: string) {
    super(
      'unknown_provider',
      provider === ''
        ? `Model "${modelName}" names no provider: write it as <provider>/<model>, for example ${EXAMPLES}.`
        : `Unknown model provider "${provider}" in "${modelName}": use anthropic/, hf/ or openai/ (for example ${EXAMPLES}).`,
    );
    this.provider = provider;
  }
}

/** A model name split into its provider and the id the provider's API is sent. */
export interface ParsedModelName {
  provider: ModelProviderName;
  /** `claude-sonnet-5-5`; `moonshotai/Kimi-K2.6:groq` (the router's `model`, provider suffix kept); `llama3.1`. */
  modelId: string;
}

function isProvider(name: string): name is ModelProviderName {
  return (MODEL_PROVIDERS as readonly string[]).includes(name);
}

/**
 * Splits `<provider>/<model>` at the first slash (Hub ids keep theirs). A bare `claude-…` id is
 * taken as Anthropic's, since no other provider serves Claude under that name.
 *
 * @throws UnknownProviderError (code `unknown_provider`) or MlInternError `invalid_model_name`.
 */
export function parseModelName(name: string): ParsedModelName {
  const trimmed = name.trim();
  const slash = trimmed.indexOf('/');
  if (slash === -1) {
    if (trimmed.startsWith('claude-')) return { provider: 'anthropic', modelId: trimmed };
    throw new UnknownProviderError('', trimmed);
  }
  const provider = trimmed.slice(0, slash);
  const modelId = trimmed.slice(slash + 1);
  if (!isProvider(provider)) throw new UnknownProviderError(provider, trimmed);
  if (modelId.length === 0 || /\s/.test(modelId)) {
    throw new MlInternError(
      'invalid_model_name',
      `Model "${trimmed}" needs a model id after "${provider}/", without spaces.`,
    );
  }
  if (provider === 'hf' && !/^[\w.-]+\/[\w.-]+(:[\w.-]+)?$/.test(modelId)) {
    throw new MlInternError(
      'invalid_model_name',
      `Model "${trimmed}" is not a Hub model: write hf/<org>/<model>[:<provider>], for example "hf/moonshotai/Kimi-K2.6:groq".`,
    );
  }
  return { provider, modelId };
}

/** `moonshotai/Kimi-K2.6:groq` → the Hub id and the provider or policy after the colon. */
export function splitRouterModel(modelId: string): { hubId: string; suffix: string | undefined } {
  const colon = modelId.indexOf(':');
  return colon === -1
    ? { hubId: modelId, suffix: undefined }
    : { hubId: modelId.slice(0, colon), suffix: modelId.slice(colon + 1) };
}
