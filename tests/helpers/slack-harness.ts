import type { App } from '../../src/cli/app.js';
import type { Config } from '../../src/config/schema.js';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import {
  startSlackAdapter,
  type RunningSlackAdapter,
  type SlackAdapterOptions,
} from '../../adapters/slack/slack-adapter.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { startFakeApp } from './fake-app.js';
import { cleanup, testConfig } from './test-app.js';
import { pino } from 'pino';

export const BOT_TOKEN = 'xoxb-test-bot-token-0000000000';
export const APP_TOKEN = 'xapp-test-app-token-0000000000';
export const SIGNING_SECRET = 'test-signing-secret-0000';

export interface SlackHarness {
  slack: FakeSlack;
  llm: FakeAnthropic;
  app: App;
  adapter: RunningSlackAdapter;
  close(): Promise<void>;
}

/** The real runtime + workers + Slack adapter, with loopback fakes for Slack and Anthropic. */
export async function startSlackHarness(
  options: {
    config?: Config;
    tools?: AnyToolSpec[];
    mode?: 'socket' | 'http';
    adapter?: Partial<SlackAdapterOptions>;
  } = {},
): Promise<SlackHarness> {
  const slack = await startFakeSlack({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const llm = await startFakeAnthropic();
  const config = options.config ?? testConfig();
  const app = await startFakeApp(llm, { config, tools: options.tools ?? [] });
  const mode = options.mode ?? 'socket';
  const adapter = await startSlackAdapter({
    gateway: app,
    botToken: BOT_TOKEN,
    ...(mode === 'socket' ? { appToken: APP_TOKEN } : { signingSecret: SIGNING_SECRET, port: 0 }),
    apiUrl: slack.apiUrl,
    access: config.access,
    approvers: config.approval.approvers,
    streaming: false,
    maxFileBytes: 10_000,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...options.adapter,
  });
  if (mode === 'socket') await slack.socket.connected();
  return {
    slack,
    llm,
    app,
    adapter,
    close: async () => {
      await adapter.stop();
      await cleanup(app);
      await llm.close();
      await slack.close();
    },
  };
}

/** Polls until `check` returns a value (or throws after the timeout). */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
