import type { Environment } from './environment.js';
import type { Config } from './schema.js';

/**
 * Which model a process runs by default. A team with an HF token and no Anthropic key still gets
 * an intern: an `anthropic/` model without ANTHROPIC_API_KEY gives way to `openModel` (an open model
 * with tool calls, through Inference Providers) when HF_TOKEN is set. A model asked for on the
 * command line is never replaced: a missing key then fails with the usual message.
 */
export function chooseModel(
  config: Config,
  environment: Pick<Environment, 'ANTHROPIC_API_KEY' | 'HF_TOKEN'>,
  fromCommandLine: boolean,
): { model: string; replaced?: { from: string; reason: string } } {
  const anthropic = config.model.trim().startsWith('anthropic/') || config.model.trim().startsWith('claude-');
  if (fromCommandLine || !anthropic || environment.ANTHROPIC_API_KEY || !environment.HF_TOKEN) {
    return { model: config.model };
  }
  return {
    model: config.openModel,
    replaced: { from: config.model, reason: 'ANTHROPIC_API_KEY is not set and HF_TOKEN is' },
  };
}
