import type { Redis } from 'ioredis';
import type { AnyToolSpec, ToolStateStore } from '../../../core/tool-spec.js';
import type { ToolServices } from '../../tool-services.js';
import { editTool } from '../edit-tool.js';
import { readTool } from '../read-tool.js';
import { writeTool } from '../write-tool.js';
import { SandboxIdleReaper } from './idle-reaper.js';
import { sandboxBashTool } from './sandbox-bash-tool.js';
import { sandboxCreateTool } from './sandbox-create-tool.js';
import { sandboxFileStore } from './sandbox-file-store.js';
import { SandboxManager, type SandboxSettings } from './sandbox-manager.js';

export { SANDBOX_WORKSPACE } from './sandbox-manager.js';
export { deriveSandboxToken, SANDBOX_PORT } from './sandbox-protocol.js';

export interface HfSandboxesOptions {
  services: ToolServices;
  code: SandboxSettings;
  jobs: { namespace: string };
  redisUrl: string;
  connection: Redis;
  prefix: string;
  queuePrefix: string;
  /** A session's tool state outside a turn (idle checks, the session's end). */
  stateOf(sessionId: string): ToolStateStore;
  /** Adds `usd` (negative gives back) to the session's and the day's spend. */
  settleSpend(sessionId: string, usd: number): Promise<void>;
  lockMs: number;
  stalledIntervalMs: number;
}

/**
 * code.runtime `hf-sandbox`: the code tools over each session's Hugging Face Sandbox, plus
 * `sandbox_create`, and what keeps sandboxes from outliving their use — the idle reaper (started
 * with the workers) and the session-end release.
 */
export class HfSandboxes {
  readonly manager: SandboxManager;
  private readonly reaper: SandboxIdleReaper;

  constructor(private readonly options: HfSandboxesOptions) {
    this.reaper = new SandboxIdleReaper({
      redisUrl: options.redisUrl,
      connection: options.connection,
      prefix: options.prefix,
      queuePrefix: options.queuePrefix,
      stateOf: (sessionId) => options.stateOf(sessionId),
      logger: options.services.logger,
      lockMs: options.lockMs,
      stalledIntervalMs: options.stalledIntervalMs,
    });
    this.manager = new SandboxManager({
      services: options.services,
      code: options.code,
      jobs: options.jobs,
      scheduleIdleCheck: (sessionId, jobId, dueAtMs) => this.reaper.schedule(sessionId, jobId, dueAtMs),
      settleSpend: (sessionId, usd) => options.settleSpend(sessionId, usd),
    });
    this.reaper.bind(this.manager);
  }

  tools(): AnyToolSpec[] {
    const store = sandboxFileStore(this.manager);
    const where = 'your HF sandbox (relative paths are in /workspace)';
    return [
      readTool(store, where),
      writeTool(store, where),
      editTool(store, where),
      sandboxBashTool(this.manager, this.options.services),
      sandboxCreateTool(this.manager, this.options.services, this.options.code.sandboxIdleMinutes),
    ];
  }

  /** Takes idle checks in this process (workers only). */
  start(): void {
    this.reaper.start();
  }

  /** The session ended: its sandbox is cancelled now rather than at its idle timeout. */
  async sessionEnded(sessionId: string): Promise<void> {
    await this.manager.release(sessionId, this.options.stateOf(sessionId), 'session ended');
  }

  close(): Promise<void> {
    return this.reaper.close();
  }
}
