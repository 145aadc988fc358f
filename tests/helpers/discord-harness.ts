import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { App } from '../../src/cli/app.js';
import type { Config } from '../../src/config/schema.js';
import type { ApiCallOutcome, Metrics } from '../../src/core/metrics.js';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { startDiscordAdapter, type RunningDiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fakes/fake-discord.js';
import { startFakeApp } from './fake-app.js';
import { cleanup, testConfig } from './test-app.js';

/** One line the adapter logged, parsed (`msg` and the bound fields). */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/** Metrics that remember what the adapter counted. */
export class RecordingMetrics implements Metrics {
  readonly apiCalls: Array<{ service: string; method: string; outcome: ApiCallOutcome }> = [];
  readonly apiRetries: string[] = [];
  operationFinished(): void {}
  llmCall(): void {}
  toolRun(): void {}
  apiCall(service: string, method: string, outcome: ApiCallOutcome): void {
    this.apiCalls.push({ service, method, outcome });
  }
  apiRetry(service: string): void {
    this.apiRetries.push(service);
  }
}

export interface DiscordHarness {
  discord: FakeDiscord;
  llm: FakeAnthropic;
  app: App;
  adapter: RunningDiscordAdapter;
  metrics: RecordingMetrics;
  /** Every line the adapter logged at info and above, oldest first. */
  logs: LogLine[];
  close(): Promise<void>;
}

/** A logger whose lines land in `lines` (and on stdout too when TEST_LOG_LEVEL asks for them). */
function capturingLogger(lines: LogLine[]) {
  const echo = process.env.TEST_LOG_LEVEL !== undefined && process.env.TEST_LOG_LEVEL !== 'silent';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
        lines.push(JSON.parse(line) as LogLine);
      }
      if (echo) process.stdout.write(text);
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

/** The real runtime + workers + Discord adapter, with loopback fakes for Discord and Anthropic. */
export async function startDiscordHarness(
  options: {
    config?: Config;
    tools?: AnyToolSpec[];
    fake?: FakeDiscordOptions;
    /** The adapter's redaction function (the process's one, in production). */
    redact?: (text: string) => string;
    memberCacheTtlMs?: number;
  } = {},
): Promise<DiscordHarness> {
  const discord = await startFakeDiscord(options.fake ?? {});
  const llm = await startFakeAnthropic();
  const config = options.config ?? testConfig();
  const app = await startFakeApp(llm, { config, tools: options.tools ?? [] });
  const metrics = new RecordingMetrics();
  const logs: LogLine[] = [];
  const adapter = await startDiscordAdapter({
    gateway: app,
    token: discord.token,
    apiUrl: discord.apiUrl,
    access: config.access,
    approvers: config.approval.approvers,
    maxFileBytes: 10_000,
    logger: capturingLogger(logs),
    loginTimeoutMs: 10_000,
    metrics,
    ...(options.redact ? { redact: options.redact } : {}),
    ...(options.memberCacheTtlMs !== undefined ? { memberCacheTtlMs: options.memberCacheTtlMs } : {}),
  });
  return {
    discord,
    llm,
    app,
    adapter,
    metrics,
    logs,
    close: async () => {
      await adapter.stop();
      await cleanup(app);
      await llm.close();
      await discord.close();
    },
  };
}
