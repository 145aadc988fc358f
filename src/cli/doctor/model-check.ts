import { pino } from 'pino';
import type { Environment } from '../../config/environment.js';
import { MlInternError } from '../../core/errors.js';
import type { ToolDefinition } from '../../core/llm-provider.js';
import { parseModelName, type ModelProviderName } from '../../llm/model-name.js';
import type { Settings } from '../bootstrap.js';
import { ModelResolver } from '../model-resolver.js';
import { fail, ok, skip, type Check, type CheckResult } from './check.js';

const NAME = 'model answers';

/**
 * Offered, never needed: the intern cannot work without tool calls, and a model or server without
 * them rejects a request that carries one, so this one call finds that out too.
 */
const PING_TOOL: ToolDefinition = {
  name: 'ping',
  description: 'Does nothing.',
  inputSchema: { type: 'object', properties: {} },
};

/** The errors the config line already reports (a missing key or address, a bad name): not twice. */
const CONFIG_LINE_CODES = new Set(['no_api_key', 'unknown_provider', 'invalid_model_name']);

/** Where a provider is reached, for the fixes. */
interface Endpoint {
  url: string;
  urlVar: string;
  keyVar: string;
  /** Where a valid key comes from. */
  keyHelp: string;
  /** Where the names of the models it serves are listed. */
  models: string;
}

/** The provider's endpoint, or undefined when the name is not one (the config line says so). */
function endpointOf(model: string, env: Environment): Endpoint | undefined {
  let provider: ModelProviderName;
  try {
    provider = parseModelName(model).provider;
  } catch {
    return undefined;
  }
  if (provider === 'anthropic') {
    const url = env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com';
    const keyHelp = 'create a key at https://console.anthropic.com/settings/keys';
    const models = 'https://docs.anthropic.com/en/docs/about-claude/models';
    return { url, urlVar: 'ANTHROPIC_BASE_URL', keyVar: 'ANTHROPIC_API_KEY', keyHelp, models };
  }
  if (provider === 'hf') {
    const keyHelp =
      'create a token allowed to "Make calls to Inference Providers" at https://huggingface.co/settings/tokens';
    const models = 'https://huggingface.co/inference/models';
    return { url: env.HF_ROUTER_URL, urlVar: 'HF_ROUTER_URL', keyVar: 'HF_TOKEN', keyHelp, models };
  }
  const url = env.OPENAI_BASE_URL ?? 'OPENAI_BASE_URL';
  const keyHelp = 'set it to the key the server expects, or unset it for a server that needs none';
  return { url, urlVar: 'OPENAI_BASE_URL', keyVar: 'OPENAI_API_KEY', keyHelp, models: `${url}/models` };
}

/** What to do about a failed call, by the provider's error code. */
function fixFor(code: string, at: Endpoint): string {
  switch (code) {
    case 'llm_auth':
      return `${at.keyVar} is wrong, expired or revoked: ${at.keyHelp}`;
    case 'llm_permission':
      return `${at.keyVar} lacks the permission to call the model: ${at.keyHelp}`;
    case 'llm_payment_required':
      return 'add credits or a payment method to the account';
    case 'llm_tools_unsupported':
      return `choose a model with tool calls ("model" in the config, or --model); models are listed at ${at.models}`;
    case 'llm_model_not_found':
    case 'llm_not_found':
    case 'unknown_model':
      return `check the model name ("model" in the config, or --model); models are listed at ${at.models}`;
    case 'llm_connection':
      return `is the server running at ${at.url}? Check ${at.urlVar}, the network and any proxy`;
    case 'llm_rate_limited':
      return 'wait a minute and run doctor again';
    case 'llm_overloaded':
    case 'llm_server_error':
      return 'the service has a problem; try again later';
    default:
      return `check ${at.urlVar} and ${at.keyVar}`;
  }
}

/**
 * The configured model answers: one tiny call (a few tokens, one tool offered, no retries) through
 * the same resolver and endpoints a turn uses, so a ✓ means a turn can start.
 */
export function modelCheck(settings: Settings, timeoutMs: number): Check {
  const { config, environment: env, redact } = settings;
  const model = config.model;
  const at = endpointOf(model, env);
  return {
    name: NAME,
    target: at?.url ?? model,
    run: async (signal): Promise<CheckResult[]> => {
      const notChecked = skip(NAME, `not checked: ${model} is not set up (see the model line)`);
      if (at === undefined) return [notChecked];
      const resolver = new ModelResolver({
        config: { ...config, llm: { ...config.llm, maxRetries: 0, timeoutMs } },
        logger: pino({ level: 'silent' }),
        redact,
        anthropic: { apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL },
        hfRouter: { token: env.HF_TOKEN, baseURL: env.HF_ROUTER_URL },
        openai: { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL },
      });
      try {
        await resolver.validate(model);
        const resolved = await resolver.resolve(model);
        const started = Date.now();
        const request = {
          model: resolved.modelId,
          system: 'Reply with the word OK.',
          messages: [{ role: 'user' as const, content: 'OK?' }],
          tools: [PING_TOOL],
          maxTokens: 16,
          stream: false,
        };
        const { usage } = await resolved.provider.complete(request, () => undefined, signal);
        const ms = Date.now() - started;
        const tokens = `${usage.inputTokens} in / ${usage.outputTokens} out tokens`;
        return [ok(NAME, `${model} answered in ${ms} ms (${tokens})`)];
      } catch (err) {
        if (!(err instanceof MlInternError)) throw err; // runChecks reports its first line
        if (CONFIG_LINE_CODES.has(err.code)) return [notChecked];
        return [fail(NAME, err.message.split('\n')[0] ?? '', fixFor(err.code, at))];
      }
    },
  };
}
