/**
 * The `jobs` config keys (DESIGN.md), as this family reads them. The config schema owns the real
 * type; this interface is what the tools need from it, so they build against any config that has it.
 */
export interface JobsConfig {
  /** The namespace jobs run under (a user or an org); empty: the token owner's name. */
  namespace: string;
  /** CPU runs ask a human too (GPU runs always ask). */
  confirmCpuJobs: boolean;
  /** The timeout of a run that names none ("30m", "2h", a bare number of seconds). */
  defaultTimeout: string;
}

export const DEFAULT_JOBS_CONFIG: JobsConfig = { namespace: '', confirmCpuJobs: true, defaultTimeout: '30m' };

/** What the composition root passes to {@link jobsTools}; tests turn the time knobs down. */
export interface JobsToolOptions {
  jobs: JobsConfig;
  /** Per-request timeout of every Jobs API call, ms (default 30 s). */
  timeoutMs?: number;
  /** How long `logs` listens to a job's log stream. */
  logs?: Partial<LogListenOptions>;
}

export interface LogListenOptions {
  /** The whole read, ms: a stream still open after it is left. */
  maxMs: number;
  /** A running job's stream that stays silent this long is left (its logs so far are returned), ms. */
  idleMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_LOG_LISTEN: LogListenOptions = { maxMs: 15_000, idleMs: 2_500 };
