import type { Settings } from '../bootstrap.js';
import { fail, ok, type CheckResult } from './check.js';
import { parseModelName } from '../../llm/model-catalog.js';

/** The variable each model provider needs (only `anthropic/` is served today). */
const PROVIDER_KEYS: Record<string, 'ANTHROPIC_API_KEY'> = { anthropic: 'ANTHROPIC_API_KEY' };

/**
 * The config: it is valid (an invalid one never gets here: every command exits 2 first, naming each bad
 * field), and the configured model's provider has its key.
 */
export function configLines(settings: Settings, configPath: string | undefined): CheckResult[] {
  const { config, environment } = settings;
  const source = configPath ? `configs/default.json + ${configPath}` : 'configs/default.json';
  const lines = [ok('config', `valid (${source}; model ${config.model})`)];
  const { provider } = parseModelName(config.model);
  const keyVar = PROVIDER_KEYS[provider];
  if (keyVar === undefined) {
    lines.push(fail('model', `no provider serves ${config.model}`, 'set "model" to anthropic/<model-id>'));
  } else if (!environment[keyVar]) {
    lines.push(
      fail(
        'model',
        `${config.model} needs ${keyVar}, which is not set`,
        `set ${keyVar} in the environment or in .env (gateway-only processes do not need it)`,
      ),
    );
  } else {
    lines.push(ok('model', `${config.model} has its key (${keyVar})`));
  }
  return lines;
}
