import type { Writable } from 'node:stream';
import type { App } from './app.js';
import type { Settings } from './bootstrap.js';

/** `doctor`: checks what the bot needs and says, one line each, what is missing and how to fix it. */
export async function runDoctor(settings: Settings, app: App, out: Writable): Promise<number> {
  const checks: Array<{ ok: boolean; line: string }> = [];
  checks.push({ ok: true, line: `config valid (model ${settings.config.model})` });
  try {
    const pong = await app.redis.ping();
    checks.push({ ok: pong === 'PONG', line: `Redis answers (prefix "${settings.config.redis.prefix}")` });
  } catch {
    checks.push({ ok: false, line: 'Redis does not answer: set REDIS_URL or install redis-server' });
  }
  try {
    app.assertModelUsable();
    checks.push({ ok: true, line: 'ANTHROPIC_API_KEY is set' });
  } catch {
    checks.push({ ok: false, line: 'ANTHROPIC_API_KEY is not set: the agent cannot call the model' });
  }
  const env = settings.environment;
  const optional: Array<[boolean, string]> = [
    [!!env.HF_TOKEN, 'HF_TOKEN (Hub access, jobs, pushes)'],
    [!!env.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN (Slack adapter)'],
    [!!env.DISCORD_TOKEN, 'DISCORD_TOKEN (Discord adapter)'],
  ];
  for (const [set, what] of optional)
    checks.push({ ok: true, line: `${set ? 'set' : 'not set (optional)'}: ${what}` });
  for (const check of checks) out.write(`${check.ok ? '✔' : '✘'} ${check.line}\n`);
  return checks.every((c) => c.ok) ? 0 : 1;
}
