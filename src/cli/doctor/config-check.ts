import type { Environment } from '../../config/environment.js';
import type { Settings } from '../bootstrap.js';
import { fail, ok, type CheckResult } from './check.js';
import { parseModelName, type ModelProviderName } from '../../llm/model-name.js';

/** What each model provider needs set, and how to fix it when it is not. */
const PROVIDER_NEEDS: Record<ModelProviderName, { variable: keyof Environment; fix: string }> = {
  anthropic: {
    variable: 'ANTHROPIC_API_KEY',
    fix: 'set ANTHROPIC_API_KEY in the environment or in .env, or HF_TOKEN to run the open model of "openModel" (gateway-only processes need neither)',
  },
  hf: {
    variable: 'HF_TOKEN',
    fix: 'set HF_TOKEN to a token allowed to call Inference Providers (gateway-only processes do not need it)',
  },
  openai: {
    variable: 'OPENAI_BASE_URL',
    fix: 'set OPENAI_BASE_URL to the server, with its /v1 (http://127.0.0.1:11434/v1 for Ollama)',
  },
};

/**
 * The config: it is valid (an invalid one never gets here: every command exits 2 first, naming each bad
 * field), and the configured model's provider has what it needs.
 */
export function configLines(settings: Settings, configPath: string | undefined): CheckResult[] {
  const { config, environment } = settings;
  const source = configPath ? `configs/default.json + ${configPath}` : 'configs/default.json';
  const lines = [ok('config', `valid (${source}; model ${config.model})`)];
  if (settings.modelReplaced) {
    lines.push(
      ok(
        'model',
        `${config.model} instead of ${settings.modelReplaced.from}: ${settings.modelReplaced.reason}`,
      ),
    );
  }
  let provider: ModelProviderName;
  try {
    provider = parseModelName(config.model).provider;
  } catch (err) {
    lines.push(
      fail('model', err instanceof Error ? err.message : String(err), 'set "model" to a supported name'),
    );
    return lines;
  }
  const need = PROVIDER_NEEDS[provider];
  if (!environment[need.variable]) {
    lines.push(fail('model', `${config.model} needs ${need.variable}, which is not set`, need.fix));
  } else {
    lines.push(ok('model', `${config.model} has ${need.variable}`));
  }
  return lines;
}
