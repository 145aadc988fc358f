import type { Writable } from 'node:stream';
import type { Settings } from './bootstrap.js';
import { anthropicCheck } from './doctor/anthropic-check.js';
import { formatResult, runChecks, type CheckResult } from './doctor/check.js';
import { configLines } from './doctor/config-check.js';
import { discordCheck } from './doctor/discord-check.js';
import { gitHubCheck, huggingFaceCheck } from './doctor/hub-checks.js';
import { modelCheck } from './doctor/model-check.js';
import { redisCheck } from './doctor/redis-check.js';
import { skillsCheck } from './doctor/skills-check.js';
import { slackCheck } from './doctor/slack-check.js';

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  /** `--config` (else `ML_INTERN_CONFIG`), named in the config line. */
  configPath?: string | undefined;
  /** Each check's deadline. */
  timeoutMs?: number;
  /** The deadline of the one call to the model (default 30 s: a cold model is slow to start). */
  modelTimeoutMs?: number;
}

/** Long enough for a slow network, short enough that a hung service does not hold the report. */
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MODEL_TIMEOUT_MS = 30_000;

/**
 * `doctor`: checks the config, Redis, every configured credential against its service and that the
 * configured model answers (one tiny call), all at once, and prints one line per check (✓, ✗ with
 * how to fix it, or - for an optional service that is not configured). Every line goes through the
 * process's redaction; no stack is printed.
 *
 * @returns 1 when any check failed, else 0.
 */
export async function runDoctor(
  settings: Settings,
  out: Writable,
  options: DoctorOptions = {},
): Promise<number> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env = settings.environment;
  const configPath = options.configPath ?? env.ML_INTERN_CONFIG;
  // A cold model on an inference provider can take far longer to answer than a credential check.
  const modelTimeoutMs = options.modelTimeoutMs ?? Math.max(timeoutMs, DEFAULT_MODEL_TIMEOUT_MS);
  const [services, model] = await Promise.all([
    runChecks(
      [
        redisCheck(env, timeoutMs),
        anthropicCheck(env, timeoutMs),
        slackCheck(env, timeoutMs),
        discordCheck(env, timeoutMs),
        huggingFaceCheck(env),
        gitHubCheck(env),
        skillsCheck(settings, timeoutMs),
      ],
      timeoutMs,
    ),
    runChecks([modelCheck(settings, modelTimeoutMs)], modelTimeoutMs),
  ]);
  const results: CheckResult[] = [...configLines(settings, configPath), ...model, ...services];
  for (const result of results) out.write(`${settings.redact(formatResult(result))}\n`);
  const failed = results.filter((r) => r.status === 'fail').length;
  out.write(failed === 0 ? 'All checks passed.\n' : `${failed} check${failed === 1 ? '' : 's'} failed.\n`);
  return failed === 0 ? 0 : 1;
}
