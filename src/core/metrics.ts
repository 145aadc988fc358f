import type { Usage } from './events.js';

/** What one call to an outside API (chat platform, LLM) came to. */
export type ApiCallOutcome = 'ok' | 'error' | 'rate_limited';

/**
 * What the runtime and the adapters count. The composition root passes one implementation
 * (Prometheus, served on `/metrics`); tests and the bench use {@link noopMetrics}. Queue depths and
 * event-loop lag are read at scrape time, so they have no method here.
 */
export interface Metrics {
  /** One operation ended (`outcome` as in `operation_complete`), after `seconds` of work. */
  operationFinished(opType: string, outcome: string, seconds: number): void;
  /** One LLM call; `costUsd` undefined when the model's price is unknown. */
  llmCall(model: string, outcome: 'ok' | 'error', usage?: Usage, costUsd?: number): void;
  /** One tool run that reached its end (or failed). */
  toolRun(tool: string, ok: boolean): void;
  /** One call to an outside API: `service` is `slack`, `discord`, `anthropic`, … */
  apiCall(service: string, method: string, outcome: ApiCallOutcome): void;
  /** One retry of a call to `service` (after a 429, a 5xx or a dropped connection). */
  apiRetry(service: string): void;
}

export const noopMetrics: Metrics = {
  operationFinished: () => undefined,
  llmCall: () => undefined,
  toolRun: () => undefined,
  apiCall: () => undefined,
  apiRetry: () => undefined,
};
