/**
 * One line of `doctor`'s report. `fail` makes the command exit 1; `skip` is an optional service that
 * is not configured (nothing to check).
 */
export interface CheckResult {
  status: 'ok' | 'fail' | 'skip';
  /** What was checked, shown before the colon: `Slack`, `Redis persistence`, … */
  name: string;
  /** What was found (no secret: every line is redacted before it is printed anyway). */
  detail: string;
  /** For a failure: what to do about it. */
  fix?: string;
}

/**
 * One check: runs against one service and reports one or more lines. `signal` aborts when the check's
 * time is up, so a hung service cannot hold the report.
 */
export interface Check {
  /** The line reported when the check does not finish in time. */
  name: string;
  /** Where the check was pointed, for the timeout line (`ANTHROPIC_BASE_URL`, …). */
  target: string;
  run(signal: AbortSignal): Promise<CheckResult[]>;
}

export const ok = (name: string, detail: string): CheckResult => ({ status: 'ok', name, detail });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({
  status: 'fail',
  name,
  detail,
  fix,
});
export const skip = (name: string, detail: string): CheckResult => ({ status: 'skip', name, detail });

const MARKS: Record<CheckResult['status'], string> = { ok: '✓', fail: '✗', skip: '-' };

/** `✓ Slack: SLACK_BOT_TOKEN accepted …` or `✗ Redis: … Fix: …`, on one line. */
export function formatResult(result: CheckResult): string {
  const line = `${MARKS[result.status]} ${result.name}: ${result.detail.replace(/\.+$/, '')}`;
  // A detail that ends in "?" or "!" keeps it, without a period after it.
  return result.fix ? `${line}${/[?!]$/.test(line) ? '' : '.'} Fix: ${result.fix}` : line;
}

/**
 * Runs every check at once, each under `timeoutMs`, and returns the lines in the checks' order.
 * A check that throws reports a failure with the first line of the reason (never a stack).
 */
export async function runChecks(checks: readonly Check[], timeoutMs: number): Promise<CheckResult[]> {
  const lines = await Promise.all(checks.map((check) => runOne(check, timeoutMs)));
  return lines.flat();
}

async function runOne(check: Check, timeoutMs: number): Promise<CheckResult[]> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckResult[]>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve([
        fail(
          check.name,
          `no answer from ${check.target} within ${timeoutMs / 1000} s`,
          `check that ${check.target} is reachable from this host (network, proxy, firewall)`,
        ),
      ]);
    }, timeoutMs);
  });
  try {
    return await Promise.race([check.run(controller.signal), timedOut]);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return [
      fail(check.name, `check failed: ${reason.split('\n')[0] ?? ''}`, 'see the log (LOG_LEVEL=debug)'),
    ];
  } finally {
    clearTimeout(timer);
  }
}
