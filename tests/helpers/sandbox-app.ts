import type { App } from '../../src/cli/app.js';
import type { Config } from '../../src/config/schema.js';
import type { AgentEvent } from '../../src/core/events.js';
import { PUBLIC_ENDPOINTS } from '../../src/tools/tool-services.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeSandboxServer, type FakeSandboxServer } from '../fakes/fake-sandbox-server.js';
import {
  addJobsAccount,
  createHubJobsWorld,
  hubJobsRoutes,
  type HubJobsWorld,
} from '../fakes/hub-jobs-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { cleanup, testApp, testConfig, waitForEvent } from './test-app.js';

export const SANDBOX_HF_TOKEN = 'hf_sandboxTestToken000000000000000000';

/**
 * An app with code.runtime `hf-sandbox` against loopback fakes: the Jobs API (whose jobs expose
 * the fake sandbox server's URL, and teach it the token their nonce derives) and a scripted model.
 */
export interface SandboxRig {
  world: HubJobsWorld;
  hub: Loopback;
  sandbox: FakeSandboxServer;
  fake: FakeAnthropic;
  config: Config;
  app: App;
  /** A second app on the same Redis and config (a restarted worker). */
  restart(): Promise<App>;
  /** Runs one user message to its end; the events of that operation. */
  turn(
    sessionId: string,
    text: string,
    options?: { after?: string },
  ): Promise<{ events: AgentEvent[]; lastId: string }>;
  close(): Promise<void>;
}

export async function startSandboxRig(
  code: Record<string, unknown> = {},
  options: { token?: string } = {},
): Promise<SandboxRig> {
  const world = createHubJobsWorld();
  addJobsAccount(world, SANDBOX_HF_TOKEN, { user: 'intern' });
  world.nextTimeline = [{ stage: 'RUNNING' }];
  const sandbox = await startFakeSandboxServer();
  world.exposeUrl = (job) => {
    sandbox.expectToken(SANDBOX_HF_TOKEN, job.labels['hf-sandbox-nonce'] ?? '');
    return sandbox.url;
  };
  const hub = await startLoopback(hubJobsRoutes(world));
  const fake = await startFakeAnthropic();
  const config = testConfig({
    code: { runtime: 'hf-sandbox', sandboxStartTimeoutSeconds: 10, ...code },
  });
  const make = (): App =>
    testApp({
      config,
      anthropic: { apiKey: 'test-key', baseURL: fake.url },
      services: { ...PUBLIC_ENDPOINTS, hub: { url: hub.url, token: options.token ?? SANDBOX_HF_TOKEN } },
    });
  const apps: App[] = [make()];
  await apps[0]!.startWorkers();
  const rig: SandboxRig = {
    world,
    hub,
    sandbox,
    fake,
    config,
    get app() {
      return apps.at(-1)!;
    },
    async restart() {
      await apps.at(-1)!.close(1_000);
      const next = make();
      apps.push(next);
      await next.startWorkers();
      return next;
    },
    async turn(sessionId, text, turnOptions = {}) {
      const app = apps.at(-1)!;
      const after = turnOptions.after ?? (await lastEventId(app, sessionId));
      await app.operations.submit(sessionId, { type: 'user_input', text }, 'u1');
      return waitForEvent(app, sessionId, (e) => e.type === 'operation_complete', {
        timeoutMs: 30_000,
        after,
      });
    },
    async close() {
      await cleanup(apps.at(-1)!);
      for (const app of apps.slice(0, -1)) await app.close(500).catch(() => undefined);
      await fake.close();
      await hub.close();
      await sandbox.close();
    },
  };
  return rig;
}

async function lastEventId(app: App, sessionId: string): Promise<string> {
  const events = await app.events.read(sessionId, '0');
  return events.at(-1)?.streamId ?? '0';
}

/** Waits until `check` holds (a positive signal), or fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not met in time');
}
