import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';
import type { Usage } from '../core/events.js';
import type { ApiCallOutcome, Metrics } from '../core/metrics.js';

/** Every metric of the bot starts with this; prom-client's process and Node.js metrics keep their names. */
export const METRIC_PREFIX = 'mlib_';

/** One process's metrics as prom-client gives them (`Registry.getMetricsAsJSON`). */
export type ProcessMetrics = Array<MetricObjectWithValues<MetricValue<string>>>;

/** Queue depths, read at scrape time (BullMQ job counts of the drain queue). */
export type QueueCounts = () => Promise<{ waiting: number; active: number }>;

/** Operations take from milliseconds (a click) to many minutes (a turn with a training job). */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * The {@link Metrics} seam as Prometheus metrics, in a registry of its own (never prom-client's global
 * one, so two instances in one test process, or a library's metrics, do not collide). Also registers
 * prom-client's default process metrics, which include the event-loop lag (`nodejs_eventloop_lag_*`).
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly operationDuration: Histogram<'op_type' | 'outcome'>;
  private readonly llmCalls: Counter<'model' | 'outcome'>;
  private readonly llmTokens: Counter<'model' | 'kind'>;
  private readonly llmCost: Counter<'model'>;
  private readonly toolRuns: Counter<'tool'>;
  private readonly toolFailures: Counter<'tool'>;
  private readonly apiCalls: Counter<'service' | 'method' | 'outcome'>;
  private readonly apiRetries: Counter<'service'>;
  private readonly apiRateLimited: Counter<'service'>;
  private queueCounts: QueueCounts | undefined;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.operationDuration = new Histogram({
      name: `${METRIC_PREFIX}operation_duration_seconds`,
      help: 'Time from taking an operation to its operation_complete (a user_input operation is a turn)',
      labelNames: ['op_type', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.llmCalls = new Counter({
      name: `${METRIC_PREFIX}llm_calls_total`,
      help: 'LLM calls by model and outcome (ok, error)',
      labelNames: ['model', 'outcome'],
      registers,
    });
    this.llmTokens = new Counter({
      name: `${METRIC_PREFIX}llm_tokens_total`,
      help: 'LLM tokens by model and kind (input, output, cache_read, cache_write)',
      labelNames: ['model', 'kind'],
      registers,
    });
    this.llmCost = new Counter({
      name: `${METRIC_PREFIX}llm_cost_usd_total`,
      help: 'Estimated LLM cost in US dollars by model (calls of models without a known price add nothing)',
      labelNames: ['model'],
      registers,
    });
    this.toolRuns = new Counter({
      name: `${METRIC_PREFIX}tool_runs_total`,
      help: 'Tool runs that reached their end, failed ones included, by tool',
      labelNames: ['tool'],
      registers,
    });
    this.toolFailures = new Counter({
      name: `${METRIC_PREFIX}tool_failures_total`,
      help: 'Tool runs that failed, by tool',
      labelNames: ['tool'],
      registers,
    });
    this.apiCalls = new Counter({
      name: `${METRIC_PREFIX}api_calls_total`,
      help: 'Calls to outside APIs (slack, discord, anthropic, …) by method and outcome (ok, error, rate_limited)',
      labelNames: ['service', 'method', 'outcome'],
      registers,
    });
    this.apiRetries = new Counter({
      name: `${METRIC_PREFIX}api_retries_total`,
      help: 'Retries of calls to outside APIs (after a 429, a 5xx or a dropped connection), by service',
      labelNames: ['service'],
      registers,
    });
    this.apiRateLimited = new Counter({
      name: `${METRIC_PREFIX}api_rate_limited_total`,
      help: 'Calls to outside APIs answered 429 (rate limited), by service',
      labelNames: ['service'],
      registers,
    });
    const counts = (): QueueCounts | undefined => this.queueCounts;
    new Gauge({
      name: `${METRIC_PREFIX}queue_jobs`,
      help: 'Drain jobs of the operation queue by state (waiting, active), read from Redis at scrape time',
      labelNames: ['state'],
      registers,
      async collect() {
        const read = counts();
        if (!read) return;
        try {
          const { waiting, active } = await read();
          this.set({ state: 'waiting' }, waiting);
          this.set({ state: 'active' }, active);
        } catch {
          // Redis away: no depth rather than a stale one (the scrape itself still answers).
          this.reset();
        }
      },
    });
  }

  /** Where the queue gauge reads from (the app's drain queue, once Redis is connected). */
  observeQueue(counts: QueueCounts): void {
    this.queueCounts = counts;
  }

  /**
   * The text a Prometheus scrape gets, and its content type. `others` are other processes' metrics
   * (`start`'s worker children): summed into this process's, as prom-client's cluster support does.
   */
  async scrape(others: readonly ProcessMetrics[] = []): Promise<{ contentType: string; body: string }> {
    if (others.length === 0)
      return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    const merged = AggregatorRegistry.aggregate([await this.registry.getMetricsAsJSON(), ...others]);
    return { contentType: this.registry.contentType, body: await merged.metrics() };
  }

  operationFinished(opType: string, outcome: string, seconds: number): void {
    this.operationDuration.observe({ op_type: opType, outcome }, seconds);
  }

  llmCall(model: string, outcome: 'ok' | 'error', usage?: Usage, costUsd?: number): void {
    this.llmCalls.inc({ model, outcome });
    if (usage) {
      this.llmTokens.inc({ model, kind: 'input' }, usage.inputTokens);
      this.llmTokens.inc({ model, kind: 'output' }, usage.outputTokens);
      this.llmTokens.inc({ model, kind: 'cache_read' }, usage.cacheReadTokens);
      this.llmTokens.inc({ model, kind: 'cache_write' }, usage.cacheWriteTokens);
    }
    if (costUsd !== undefined && Number.isFinite(costUsd)) this.llmCost.inc({ model }, costUsd);
  }

  toolRun(tool: string, ok: boolean): void {
    this.toolRuns.inc({ tool });
    if (!ok) this.toolFailures.inc({ tool });
  }

  apiCall(service: string, method: string, outcome: ApiCallOutcome): void {
    this.apiCalls.inc({ service, method, outcome });
    if (outcome === 'rate_limited') this.apiRateLimited.inc({ service });
  }

  apiRetry(service: string): void {
    this.apiRetries.inc({ service });
  }
}
