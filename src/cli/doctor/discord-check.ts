import { REST, Routes } from 'discord.js';
import type { Environment } from '../../config/environment.js';
import { fail, ok, type Check } from './check.js';
import { credentialCheck, type ServiceSpec } from './failure-hints.js';

/**
 * Discord: `GET /users/@me` with the bot token through @discordjs/rest (the client the adapter uses),
 * without retries. A user token (not a bot's) is reported too: the gateway would refuse it.
 */
export function discordCheck(env: Environment, timeoutMs: number): Check {
  const spec: ServiceSpec = {
    name: 'Discord',
    tokenVar: 'DISCORD_TOKEN',
    urlVar: 'DISCORD_API_URL',
    url: env.DISCORD_API_URL,
    tokenHelp: 'reset and copy the bot token under Developer Portal → your app → Bot',
  };
  return credentialCheck(
    spec,
    env.DISCORD_TOKEN,
    'DISCORD_TOKEN not set (optional: the Discord adapter)',
    async (token, signal) => {
      const rest = new REST({
        api: env.DISCORD_API_URL,
        retries: 0,
        timeout: timeoutMs,
        handlerSweepInterval: 0,
        hashSweepInterval: 0,
      }).setToken(token);
      const me = (await rest.get(Routes.user('@me'), { signal })) as { username?: string; bot?: boolean };
      if (me.bot !== true)
        return fail(spec.name, 'DISCORD_TOKEN belongs to a user, not a bot', spec.tokenHelp);
      return ok(spec.name, `DISCORD_TOKEN accepted (bot ${me.username ?? '?'})`);
    },
  );
}
