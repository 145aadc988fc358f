import { pino } from 'pino';
import type { App } from '../../src/cli/app.js';
import type { Config } from '../../src/config/schema.js';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { startDiscordAdapter, type RunningDiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fakes/fake-discord.js';
import { startFakeApp } from './fake-app.js';
import { cleanup, testConfig } from './test-app.js';

export interface DiscordHarness {
  discord: FakeDiscord;
  llm: FakeAnthropic;
  app: App;
  adapter: RunningDiscordAdapter;
  close(): Promise<void>;
}

/** The real runtime + workers + Discord adapter, with loopback fakes for Discord and Anthropic. */
export async function startDiscordHarness(
  options: { config?: Config; tools?: AnyToolSpec[]; fake?: FakeDiscordOptions } = {},
): Promise<DiscordHarness> {
  const discord = await startFakeDiscord(options.fake ?? {});
  const llm = await startFakeAnthropic();
  const config = options.config ?? testConfig();
  const app = await startFakeApp(llm, { config, tools: options.tools ?? [] });
  const adapter = await startDiscordAdapter({
    gateway: app,
    token: discord.token,
    apiUrl: discord.apiUrl,
    access: config.access,
    approvers: config.approval.approvers,
    maxFileBytes: 10_000,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    loginTimeoutMs: 10_000,
  });
  return {
    discord,
    llm,
    app,
    adapter,
    close: async () => {
      await adapter.stop();
      await cleanup(app);
      await llm.close();
      await discord.close();
    },
  };
}
