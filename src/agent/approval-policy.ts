import type { CostEstimate } from '../core/events.js';
import type { AnyToolSpec } from '../core/tool-spec.js';

export interface ApprovalSettings {
  /** Approve everything without asking (config `approval.yolo`, or a session's `--yes`). */
  yolo: boolean;
  /** Tool names that always ask, on top of each tool's own policy (config `approval.require`). */
  require: readonly string[];
  /** Yolo's money: priced calls run unasked only while their quote fits in what is left of this. */
  yoloCapUsd: number;
}

/** The decision for one call: run now, or ask with a reason (and the quote, when the tool prices it). */
export interface ApprovalDecisionPlan {
  reason: string | undefined;
  estimate?: CostEstimate;
  /** The call may not run at all (it would pass a daily cap): its result says why. */
  refusal?: string;
}

/**
 * Decides whether a call waits for a human, the same on every platform:
 * - a call the tool always asks about (scheduled job changes) asks, even in yolo;
 * - `approval.require` asks;
 * - in yolo, a priced call runs only while its quote fits in what is left of `budget.yoloCapUsd`
 *   after what the thread has spent; no quote, or one over what is left, asks with that reason;
 * - otherwise the tool's own policy decides.
 * The quote, when there is one, goes on the card.
 */
export async function decideApproval(
  spec: AnyToolSpec,
  args: unknown,
  context: {
    sessionId: string;
    spentUsd: number;
    signal: AbortSignal;
    capCheck?: (usd: number) => Promise<string | undefined>;
  },
  settings: ApprovalSettings,
): Promise<ApprovalDecisionPlan> {
  const { sessionId, spentUsd } = context;
  const quote = spec.quote
    ? await spec.quote(args, { sessionId, signal: context.signal }).catch(() => ({
        usd: undefined,
        basis: 'the price could not be looked up',
      }))
    : undefined;
  const estimate: CostEstimate | undefined = quote
    ? { usd: quote.usd ?? null, basis: quote.basis, spentUsd }
    : undefined;
  const plan = (reason: string | undefined): ApprovalDecisionPlan =>
    estimate ? { reason, estimate } : { reason };

  // The daily caps come first: a call that would pass one is not run, whoever would approve it.
  if (estimate?.usd != null && context.capCheck) {
    const refusal = await context.capCheck(estimate.usd);
    if (refusal !== undefined) return { ...plan(undefined), refusal };
  }
  const always = spec.alwaysAsk?.(args);
  if (always !== undefined) return plan(always);
  if (settings.require.includes(spec.name)) return plan('this tool always asks (approval.require)');
  if (settings.yolo) {
    if (estimate === undefined) return plan(undefined);
    if (estimate.usd === null) return plan(`no cost estimate (${estimate.basis}), so yolo mode asks`);
    const left = Math.max(0, settings.yoloCapUsd - spentUsd);
    if (estimate.usd > left) {
      return plan(
        `the estimate $${estimate.usd.toFixed(2)} is over the $${left.toFixed(2)} left of budget.yoloCapUsd ($${settings.yoloCapUsd.toFixed(2)}) for this thread`,
      );
    }
    return plan(undefined);
  }
  return plan(spec.needsApproval(args, { sessionId }));
}
