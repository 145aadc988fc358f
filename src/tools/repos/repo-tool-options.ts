/** Knobs of the repo tools that tests turn (a hung Hub must fail in a test's time, not in 30 s). */
export interface RepoToolOptions {
  /** Per-request timeout for every Hub call, ms. */
  timeoutMs: number;
}

export const DEFAULT_REPO_TOOL_OPTIONS: RepoToolOptions = { timeoutMs: 30_000 };
