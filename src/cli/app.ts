import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { noopMetrics, type Metrics } from '../core/metrics.js';
import type { Operation, OperationEnvelope } from '../core/operations.js';
import type {
  AdapterStateStore,
  AgentGateway,
  EventReader,
  EventSubscription,
  NewSessionRequest,
  SessionSummary,
  StoredEvent,
  ThreadRef,
} from '../core/agent-gateway.js';
import { EventPump } from '../store/event-pump.js';
import { AgentRuntime } from '../agent/agent-runtime.js';
import { agentDepsOf } from './app-agent-deps.js';
import { SpendLedger } from '../store/spend-ledger.js';
import type { JobWatcher } from '../jobs/job-watcher.js';
import { cancelJobNow } from '../jobs/job-control.js';
import { buildToolRuntime } from './app-tools.js';
import type { McpManager } from '../mcp/mcp-manager.js';
import type { SkillCatalog } from '../skills/index.js';
import type { HfSandboxes } from '../tools/code/hf-sandbox/index.js';
import type { ToolCache } from '../tools/shared/tool-cache.js';
import { PUBLIC_ENDPOINTS, type ServiceEndpoints } from '../tools/tool-services.js';
import { ModelResolver } from './model-resolver.js';
import type { AppOptions } from './app-options.js';

export type { AppOptions } from './app-options.js';
import { CancelFlags } from '../queue/cancel-flags.js';
import { DrainWorker } from '../queue/drain-worker.js';
import { drainQueueName, type DrainJobData } from '../queue/drain-queue.js';
import { OperationQueue } from '../queue/operation-queue.js';
import { connectRedis, throttledErrorLog } from '../queue/redis-connection.js';
import { closeWithin } from '../queue/close-within.js';
import { SessionLocks } from '../queue/session-locks.js';
import { EventStore } from '../store/event-store.js';
import { HistoryStore } from '../store/history-store.js';
import { KeySpace } from '../store/keys.js';
import { SessionStore, type NewSession } from '../store/session-store.js';
import { ThreadIndex } from '../store/thread-index.js';
import { ToolCallStore } from '../store/tool-call-store.js';
import { redisAdapterState } from '../store/adapter-state-store.js';
import type { ToolRegistry } from '../tools/tool-registry.js';

/**
 * The composition root: builds every store, the queue and (on demand) the workers from one config.
 * Adapters use `operations` to submit and `events` to render; `startWorkers` turns the process into
 * a worker too.
 */
export class App implements AgentGateway {
  readonly keys: KeySpace;
  readonly redis: Redis;
  readonly sessions: SessionStore;
  readonly history: HistoryStore;
  /** Today's spend, in all and per user (`budget.perDayUsd`, `budget.perUserDailyUsd`). */
  readonly spend: SpendLedger;
  readonly events: EventStore;
  readonly toolCalls: ToolCallStore;
  readonly threads: ThreadIndex;
  readonly cancel: CancelFlags;
  readonly operations: OperationQueue;
  readonly registry: ToolRegistry;
  /** What tools fetch and index, shared by every worker (`<prefix>:cache:*`). */
  readonly toolCache: ToolCache;
  /** Follows launched HF jobs until they end (every worker takes part). */
  readonly jobs: JobWatcher;
  /** The Agent Skills of config `skills`: a prompt section per turn and `load_skill`. */
  readonly skills: SkillCatalog;
  /** code.runtime `hf-sandbox`: the sessions' HF sandboxes. */
  readonly sandboxes: HfSandboxes | undefined;
  /** The MCP servers of config `mcpServers`, connected by `startWorkers` and kept for the process. */
  readonly mcp: McpManager;
  readonly metrics: Metrics;
  private readonly queue: Queue<DrainJobData>;
  private readonly subscriber: Redis;
  private readonly extraConnections: Redis[] = [];
  private worker: DrainWorker | undefined;
  private locks: SessionLocks | undefined;
  private readonly models: ModelResolver;

  constructor(readonly options: AppOptions) {
    const { config, redisUrl } = options;
    this.keys = new KeySpace(config.redis.prefix);
    this.metrics = options.metrics ?? noopMetrics;
    this.redis = connectRedis(redisUrl, 'ml-intern-bot', options.logger);
    this.subscriber = connectRedis(redisUrl, 'ml-intern-bot:cancel', options.logger);
    this.sessions = new SessionStore(this.redis, this.keys);
    this.history = new HistoryStore(this.redis, this.keys);
    this.spend = new SpendLedger(this.redis, this.keys, config.budget);
    this.events = new EventStore(this.redis, this.keys, config.events.maxLen);
    this.toolCalls = new ToolCallStore(this.redis, this.keys);
    this.threads = new ThreadIndex(this.redis, this.keys);
    this.cancel = new CancelFlags(this.redis, this.subscriber, this.keys);
    this.queue = new Queue<DrainJobData>(drainQueueName(config.redis.prefix), {
      connection: this.redis,
      prefix: this.keys.queuePrefix,
    });
    // Without a listener BullMQ prints the queue's connection errors with console.error.
    this.queue.on('error', throttledErrorLog(options.logger, { queue: 'drain' }, 'queue error; retrying'));
    this.operations = new OperationQueue(this.redis, this.keys, this.queue, this.cancel);
    const tools = buildToolRuntime({
      options,
      redis: this.redis,
      keys: this.keys,
      events: this.events,
      sessions: this.sessions,
      operations: this.operations,
      spend: this.spend,
    });
    this.toolCache = tools.toolCache;
    this.jobs = tools.jobs;
    this.skills = tools.skills;
    this.registry = tools.registry;
    this.sandboxes = tools.sandboxes;
    this.mcp = tools.mcp;
    this.models = new ModelResolver({
      config,
      logger: options.logger,
      anthropic: options.anthropic,
      hfRouter: options.hfRouter,
      openai: options.openai,
      llm: options.llm,
      metrics: this.metrics,
      redact: options.redact,
    });
  }

  /** Creates a session and emits `ready`. Binding a chat thread to it is the adapter's business. */
  async startSession(request: NewSessionRequest): Promise<string> {
    const id = randomUUID();
    const init: NewSession = { ...request, id, model: request.model ?? this.options.config.model };
    // Independent writes, sent together: one round trip of waiting, not two.
    await Promise.all([this.sessions.create(init), this.events.emit(id, { type: 'ready' })]);
    return id;
  }

  async submit(sessionId: string, op: Operation, userId?: string): Promise<OperationEnvelope> {
    // A job card's Cancel acts at once, as an interrupt does, rather than waiting behind a running
    // turn; the worker's path stays for a gateway without a token or a Hub that failed just now.
    if (
      op.type === 'cancel_job' &&
      (await cancelJobNow(this.endpoints().hub, op, this.options.logger, sessionId))
    ) {
      return { id: randomUUID(), sessionId, at: Date.now(), ...(userId ? { userId } : {}), op };
    }
    return this.operations.submit(sessionId, op, userId);
  }

  async session(sessionId: string): Promise<SessionSummary | undefined> {
    const record = await this.sessions.get(sessionId);
    if (!record) return undefined;
    return {
      id: record.id,
      model: record.model,
      status: record.status,
      owner: record.owner,
      inputTokens: record.inputTokens,
      outputTokens: record.outputTokens,
      cacheReadTokens: record.cacheReadTokens,
      cacheWriteTokens: record.cacheWriteTokens,
      costUsd: record.costUsd,
      costUnknown: record.costUnknown === '1',
      contextTokens: record.contextTokens,
      contextWindow: await this.models.contextWindow(record.model),
      replacedBy: record.replacedBy,
      thread: record.thread
        ? { platform: record.platform, channel: record.channel, thread: record.thread }
        : undefined,
    };
  }

  /** A reader with a connection of its own, since XREAD BLOCK holds the connection while it waits. */
  openEventReader(name: string): EventReader {
    const conn = this.blockingConnection(name);
    return {
      read: (sessionId, afterId, blockMs) =>
        this.events.read(sessionId, afterId, { blockMs, connection: conn }),
      close: () => {
        conn.disconnect();
        this.extraConnections.splice(this.extraConnections.indexOf(conn), 1);
      },
    };
  }

  async configureSession(sessionId: string, settings: { model?: string; yolo?: boolean }): Promise<void> {
    const fields: Record<string, string> = {};
    if (settings.model !== undefined) {
      // A typed, user-worded error for an unknown provider, a missing key or a model nobody serves.
      await this.models.validate(settings.model);
      fields.model = settings.model;
    }
    if (settings.yolo !== undefined) fields.yolo = settings.yolo ? '1' : '0';
    if (Object.keys(fields).length > 0) await this.sessions.update(sessionId, fields);
  }

  threadSession(ref: ThreadRef): Promise<string | undefined> {
    return this.threads.get(ref);
  }

  bindThread(ref: ThreadRef, sessionId: string): Promise<string> {
    return this.threads.bindIfAbsent(ref, sessionId);
  }

  rebindThread(ref: ThreadRef, sessionId: string): Promise<void> {
    return this.threads.set(ref, sessionId);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.keys.prefix}:dedupe:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async subscribe(
    consumer: string,
    handle: (sessionId: string, events: StoredEvent[]) => Promise<void>,
  ): Promise<EventSubscription> {
    const reader = this.blockingConnection(`ml-intern-bot:pump:${consumer}`);
    const pump = new EventPump(
      this.redis,
      reader,
      this.events,
      this.keys,
      consumer,
      handle,
      this.options.logger,
    );
    await pump.start();
    return {
      follow: (sessionId, from) => pump.follow(sessionId, from),
      unfollow: (sessionId) => pump.unfollow(sessionId),
      stop: async () => {
        await pump.stop();
        reader.disconnect();
      },
    };
  }

  adapterState(adapter: string): AdapterStateStore {
    return redisAdapterState(this.redis, this.keys, adapter);
  }

  private blockingConnection(name: string): Redis {
    const conn = connectRedis(this.options.redisUrl, name, this.options.logger);
    this.extraConnections.push(conn);
    return conn;
  }

  async startWorkers(overrides: { concurrency?: number } = {}): Promise<void> {
    if (this.worker) return;
    const { config, logger } = this.options;
    // Warm the skills (fetched once, then cached) so the first turn does not wait for them.
    void this.skills.load();
    // The first turn starts with the MCP servers that answered within their connect deadline.
    await this.mcp.start();
    // The tools' JSON Schemas (tens of ms of zod work) are made now, not in the first turn.
    this.registry.definitions();
    this.locks = new SessionLocks(this.redis, this.keys, config.worker.lockMs);
    this.worker = new DrainWorker({
      redisUrl: this.options.redisUrl,
      connection: this.redis,
      keys: this.keys,
      locks: this.locks,
      queue: this.operations,
      handler: new AgentRuntime(agentDepsOf(this, this.models, this.endpoints())),
      logger,
      concurrency: overrides.concurrency ?? config.worker.concurrency,
      lockMs: config.worker.lockMs,
      stalledIntervalMs: config.worker.stalledIntervalMs,
    });
    await this.worker.waitUntilReady();
    this.jobs.start();
    this.sandboxes?.start();
  }

  private endpoints(): ServiceEndpoints {
    return this.options.services ?? PUBLIC_ENDPOINTS;
  }

  /** Checks that the configured model can be served (its key or address is set), before anything runs. */
  async assertModelUsable(model = this.options.config.model): Promise<void> {
    await this.models.validate(model);
  }

  /** Stops the workers (letting running turns finish within `graceMs`) and closes every connection. */
  async close(graceMs = 10_000): Promise<void> {
    await this.worker?.close(graceMs);
    await closeWithin(this.jobs.close());
    if (this.sandboxes) await closeWithin(this.sandboxes.close());
    await closeWithin(this.mcp.close());
    this.locks?.stop();
    await closeWithin(this.spend.flush().catch(() => undefined));
    if (!(await closeWithin(this.queue.close())))
      this.options.logger.warn('the queue did not close in time (Redis away?); disconnecting');
    for (const conn of [...this.extraConnections, this.subscriber, this.redis]) conn.disconnect();
  }
}
