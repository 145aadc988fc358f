import type { ToolContext, ToolStateStore } from '../../../core/tool-spec.js';
import { pricePerSecondUsd } from '../../jobs/cost.js';
import { findFlavor, hardwareCatalog } from '../../jobs/hardware-catalog.js';
import { JobsApi } from '../../jobs/jobs-api.js';
import { jobsNamespace } from '../../jobs/namespace.js';
import { ServiceError } from '../../shared/service-error.js';
import type { ToolServices } from '../../tool-services.js';
import type { SandboxClient } from './sandbox-client.js';
import { SandboxError } from './sandbox-errors.js';
import {
  findSessionSandbox,
  getSandboxJob,
  isEnded,
  launchSandboxJob,
  type SandboxJob,
} from './sandbox-jobs.js';
import { deriveSandboxToken, newNonce, sandboxJobSpec } from './sandbox-protocol.js';
import { clearRecord, loadRecord, saveRecord, type SandboxRecord } from './sandbox-record.js';
import { clientOf, waitUntilReady } from './sandbox-startup.js';

/** The sandbox's working folder: relative paths of the tools resolve here. */
export const SANDBOX_WORKSPACE = '/workspace';

/** The `code` settings a sandbox is made from. */
export interface SandboxSettings {
  sandboxHardware: string;
  sandboxImage: string;
  sandboxIdleMinutes: number;
  sandboxStartTimeoutSeconds: number;
}

export interface SandboxManagerDeps {
  services: Pick<ToolServices, 'hub' | 'cache' | 'logger'>;
  code: SandboxSettings;
  jobs: { namespace: string };
  /** Makes sure an idle check runs for this job at `dueAtMs` (it survives worker restarts). */
  scheduleIdleCheck(sessionId: string, jobId: string, dueAtMs: number): Promise<void>;
  /** Adds `usd` (negative: gives back) to the session's and the day's spend. */
  settleSpend(sessionId: string, usd: number): Promise<void>;
}

/** A sandbox ready for a call: its record and its server's client. */
export interface ActiveSandbox {
  record: SandboxRecord;
  client: SandboxClient;
}

/** What an explicit `sandbox_create` asks for. */
export interface SandboxWish {
  hardware: string;
  chargedUsd?: number;
}

/**
 * Each session's HF sandbox: reattached from the job id in the session's state (the nonce read back
 * from the job's labels, as `Sandbox.connect` does), created when there is none, replaced when its
 * job died, and cancelled (its real cost settled) when the session ends or it sat idle.
 */
export class SandboxManager {
  /** Creations in flight per session: parallel calls of one turn share one sandbox. */
  private readonly pending = new Map<string, Promise<ActiveSandbox>>();
  /** Jobs whose server answered /health in this process (no need to ask again). */
  private readonly healthy = new Set<string>();

  constructor(private readonly deps: SandboxManagerDeps) {}

  get idleMs(): number {
    return this.deps.code.sandboxIdleMinutes * 60_000;
  }

  /**
   * The session's sandbox, reattached or created (with `wish`'s hardware), and marked as used until
   * `busyForMs` from now (a command may run that long: the idle check must not cancel it meanwhile).
   */
  async ensure(ctx: ToolContext, wish?: SandboxWish, busyForMs = 0): Promise<ActiveSandbox> {
    let work = this.pending.get(ctx.sessionId);
    if (!work) {
      work = this.attachOrCreate(ctx, wish).finally(() => this.pending.delete(ctx.sessionId));
      this.pending.set(ctx.sessionId, work);
    }
    const active = await work;
    return { ...active, record: await this.touch(ctx, active.record, busyForMs) };
  }

  /** Marks the sandbox used now (plus `busyForMs`): the idle clock restarts from there. */
  async touch(ctx: ToolContext, current: SandboxRecord, busyForMs = 0): Promise<SandboxRecord> {
    const record = { ...current, lastUsedMs: Date.now() + busyForMs };
    await saveRecord(ctx.state, record);
    await this.deps.scheduleIdleCheck(ctx.sessionId, record.jobId, record.lastUsedMs + this.idleMs);
    return record;
  }

  /** The session's sandbox record while its job is alive (one Hub call), else undefined. */
  async live(ctx: ToolContext): Promise<SandboxRecord | undefined> {
    const record = await loadRecord(ctx.state);
    if (!record) return undefined;
    this.token();
    const job = await getSandboxJob(this.api(ctx.signal), record.namespace, record.jobId).catch(
      (err: unknown) => {
        if (err instanceof ServiceError && err.status === 404) return undefined;
        throw err;
      },
    );
    return job && !isEnded(job) ? record : undefined;
  }

  /** The session's sandbox record, if it has one (no Hub call). */
  current(state: ToolStateStore): Promise<SandboxRecord | undefined> {
    return loadRecord(state);
  }

  /**
   * Cancels the session's sandbox job (`POST …/cancel`), settles its real cost and forgets it.
   * `jobId` given: only that job (an idle check of an older sandbox does nothing to a newer one).
   */
  async release(sessionId: string, state: ToolStateStore, why: string, jobId?: string): Promise<boolean> {
    const record = await loadRecord(state);
    if (!record || (jobId !== undefined && record.jobId !== jobId)) return false;
    const api = this.api(new AbortController().signal);
    try {
      await api.cancel(record.namespace, record.jobId);
    } catch (err) {
      // Already gone (404) is what a cancel wants; anything else is tried again by the next check.
      if (!(err instanceof ServiceError && err.status === 404)) throw err;
    }
    await this.settle(sessionId, record);
    await clearRecord(state);
    this.healthy.delete(record.jobId);
    this.deps.services.logger.info({ sessionId, jobId: record.jobId, why }, 'sandbox cancelled');
    return true;
  }

  private async attachOrCreate(ctx: ToolContext, wish?: SandboxWish): Promise<ActiveSandbox> {
    const hfToken = this.token();
    const api = this.api(ctx.signal);
    const record = await loadRecord(ctx.state);
    if (record) {
      const job = await getSandboxJob(api, record.namespace, record.jobId).catch((err: unknown) => {
        if (err instanceof ServiceError && err.status === 404) return undefined;
        throw err;
      });
      if (job && !isEnded(job))
        return { record, client: await this.ready(api, job, record.namespace, hfToken, ctx) };
      const stage = job?.status.stage ?? 'gone';
      await ctx.log(`The sandbox job ${record.jobId} has ended (${stage}); starting a new sandbox.`);
      this.deps.services.logger.info(
        { sessionId: ctx.sessionId, jobId: record.jobId, stage },
        'sandbox job ended; replacing it',
      );
      await this.settle(ctx.sessionId, record);
      await clearRecord(ctx.state);
    }
    return this.create(ctx, api, hfToken, wish);
  }

  private async create(
    ctx: ToolContext,
    api: JobsApi,
    hfToken: string,
    wish?: SandboxWish,
  ): Promise<ActiveSandbox> {
    const { code, services } = this.deps;
    const hardware = wish?.hardware ?? code.sandboxHardware;
    const namespace = await jobsNamespace(api, services.cache, this.deps.jobs);
    const catalog = await hardwareCatalog(services, { signal: ctx.signal });
    const flavor = findFlavor(catalog, hardware);
    const usdPerSecond = flavor ? pricePerSecondUsd(flavor) : undefined;
    // A launch whose answer (or record) was lost left its job: use it rather than start a second.
    const lost = await findSessionSandbox(api, namespace, ctx.sessionId);
    let job: SandboxJob;
    if (lost) {
      job = await getSandboxJob(api, namespace, lost);
      await ctx.log(`Reattaching the sandbox job ${job.id} this session had already started.`);
    } else {
      await ctx.log(`Creating a sandbox for ${namespace} (${hardware}, ${code.sandboxImage})…`);
      const nonce = newNonce();
      const spec = sandboxJobSpec({
        image: code.sandboxImage,
        flavor: hardware,
        // The server's own watchdog is the backstop for when no worker is left to cancel it.
        idleTimeoutSeconds: Math.ceil(code.sandboxIdleMinutes * 60) + 60,
        nonce,
        sandboxToken: deriveSandboxToken(hfToken, nonce),
        hubUrl: services.hub.url,
        sessionId: ctx.sessionId,
      });
      job = await launchSandboxJob(api, namespace, spec);
    }
    const now = Date.now();
    const record: SandboxRecord = {
      jobId: job.id,
      namespace,
      hardware,
      createdAtMs: now,
      lastUsedMs: now,
      ...(usdPerSecond !== undefined ? { usdPerSecond } : {}),
      ...(wish?.chargedUsd !== undefined ? { chargedUsd: wish.chargedUsd } : {}),
    };
    // Kept before the wait: a worker that dies now leaves a job the session can still find and cancel.
    await saveRecord(ctx.state, record);
    await this.deps.scheduleIdleCheck(ctx.sessionId, job.id, now + this.idleMs);
    const client = await this.ready(api, job, namespace, hfToken, ctx, true);
    await client.mkdir(SANDBOX_WORKSPACE, ctx.signal);
    await ctx.log(`Sandbox ready: job ${job.id} (${hardware}).`);
    return { record, client };
  }

  /** The job's client once its server answers; a sandbox that never does is cancelled. */
  private async ready(
    api: JobsApi,
    job: SandboxJob,
    namespace: string,
    hfToken: string,
    ctx: ToolContext,
    fresh = false,
  ): Promise<SandboxClient> {
    const known = this.healthy.has(job.id) ? clientOf(job, hfToken) : undefined;
    if (known) return known;
    const timeoutS = this.deps.code.sandboxStartTimeoutSeconds;
    try {
      const client = await waitUntilReady(
        api,
        job,
        namespace,
        hfToken,
        Date.now() + timeoutS * 1_000,
        ctx.signal,
      );
      this.healthy.add(job.id);
      return client;
    } catch (err) {
      if (ctx.signal.aborted || !(err instanceof SandboxError)) throw err;
      this.deps.services.logger.warn(
        { sessionId: ctx.sessionId, jobId: job.id, code: err.code },
        err.message,
      );
      // A job that never became ready would bill until its 24 h limit: cancel it (as `Sandbox.create`).
      await this.release(ctx.sessionId, ctx.state, 'never ready', job.id).catch(() => undefined);
      const what = fresh ? 'The new sandbox' : 'The sandbox';
      throw new SandboxError(
        err.code,
        err.code === 'sandbox_not_ready'
          ? `${what} (job ${job.id}) did not answer within ${timeoutS} s, so it was cancelled. Try again; a busy GPU flavor can take longer (config code.sandboxStartTimeoutSeconds).`
          : `${err.message} It was dropped; the next call starts a new sandbox.`,
      );
    }
  }

  /** The real cost (time since creation × price) replaces what was charged at creation. */
  private async settle(sessionId: string, record: SandboxRecord): Promise<void> {
    if (record.usdPerSecond === undefined) return;
    const real = ((Date.now() - record.createdAtMs) / 1000) * record.usdPerSecond;
    const delta = real - (record.chargedUsd ?? 0);
    if (delta !== 0) await this.deps.settleSpend(sessionId, delta);
  }

  private token(): string {
    const token = this.deps.services.hub.token?.trim();
    if (!token) {
      throw new SandboxError(
        'sandbox_no_token',
        'HF sandboxes need a Hugging Face token, and HF_TOKEN is not set. Ask the operator to set HF_TOKEN (or code.runtime to "local").',
      );
    }
    return token;
  }

  private api(signal: AbortSignal): JobsApi {
    return new JobsApi(this.deps.services.hub, { timeoutMs: 30_000, signal });
  }
}
