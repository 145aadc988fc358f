import type { SerializedError } from 'vitest';
import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node';

/** The counts behind the summary line. */
export interface SummaryCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Counts a run. A test counts by its own state. A file that failed without any failed test (it did
 * not load: a syntax or import error, a throw at top level; or a hook outside the tests failed: a
 * `beforeAll` that leaves its tests skipped, an `afterAll`) counts as one failure, and so does each
 * error outside any file. A run that failed with nothing counted yet (the global setup threw, so no
 * file ran) counts one: a broken run never reads as "0 failed".
 */
export function summaryCounts(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<SerializedError> = [],
  reason: TestRunEndReason = 'passed',
): SummaryCounts {
  const counts: SummaryCounts = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
  for (const module of testModules) {
    let failedTests = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') counts.passed++;
      else if (state === 'failed') failedTests++;
      else counts.skipped++;
    }
    counts.failed += failedTests;
    if (failedTests === 0 && !module.ok()) counts.failed++;
  }
  if (reason === 'failed' && counts.failed === 0) counts.failed = 1;
  return counts;
}

/**
 * Ends the run with one plain line, `Tests: N passed, N failed, N skipped`, that tools reading test
 * output understand without parsing vitest's coloured summary.
 */
export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    const { passed, failed, skipped } = summaryCounts(testModules, unhandledErrors, reason);
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
