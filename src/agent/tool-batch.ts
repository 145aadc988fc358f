import type { ApprovalDecision } from '../core/operations.js';
import type { ToolCall, ToolMessage } from '../core/messages.js';
import type { ToolState } from '../core/events.js';
import type { PendingCall } from '../store/tool-call-store.js';
import type { SubAgentModel } from '../core/tool-spec.js';
import { emitEvent, type AgentDeps } from './agent-deps.js';
import { decideApproval, type ApprovalSettings } from './approval-policy.js';
import { checkCall, executeCall } from './tool-executor.js';

export const UNKNOWN_OUTCOME =
  'Outcome unknown: the worker running this call stopped before it finished (a crash or restart). ' +
  'It was NOT run again. Check its effects before deciding whether to retry.';

type Plan =
  | { kind: 'result'; result: ToolMessage; state: ToolState }
  | { kind: 'run'; checked: Extract<ReturnType<typeof checkCall>, { ok: true }> }
  | { kind: 'wait'; pending: PendingCall };

export interface BatchInput {
  sessionId: string;
  calls: readonly ToolCall[];
  decisions: ReadonlyMap<string, ApprovalDecision>;
  approval: ApprovalSettings;
  signal: AbortSignal;
  /** The turn's model, lent to tools that run a sub-agent. */
  model?: SubAgentModel;
  /** Why spending `usd` would pass a daily cap (`budget.perDayUsd` / `perUserDailyUsd`), if it would. */
  capCheck?: (usd: number) => Promise<string | undefined>;
}

/**
 * Settles the unanswered tool calls of the latest assistant message: runs what may run (in parallel),
 * turns rejections, malformed calls and crash leftovers into results, and parks calls that need a
 * human. Results are appended in the calls' original order. Returns what it recorded (in that order)
 * and the calls still waiting.
 */
export async function settleToolCalls(
  deps: AgentDeps,
  input: BatchInput,
): Promise<{ recorded: ToolMessage[]; waiting: PendingCall[] }> {
  const { sessionId } = input;
  const [journal, pending, spend] = await Promise.all([
    deps.toolCalls.journal(sessionId),
    deps.toolCalls.getPending(sessionId),
    deps.sessions.spendOf(sessionId),
  ]);
  // Calls of one batch are priced in order, each against what the ones before it commit, so two
  // yolo jobs cannot each fit a cap that only one fits.
  let spentUsd = spend.costUsd;
  const plans: Plan[] = [];
  for (const call of input.calls) {
    const plan = await (async (): Promise<Plan> => {
      const entry = journal.get(call.id);
      if (entry?.sideEffects) return result(call, UNKNOWN_OUTCOME, 'unknown', true);
      const checked = checkCall(deps, call);
      if (!checked.ok) return { kind: 'result', result: checked.result, state: 'failed' };
      const decision = input.decisions.get(call.id);
      if (decision) {
        if (decision.approved) {
          // An approval does not lift the daily caps: they are checked again just before the spend.
          const refusal = await capRefusalOf(checked, sessionId, input);
          return refusal ? result(call, `Not run: ${refusal}.`, 'failed', true) : { kind: 'run', checked };
        }
        const feedback = decision.feedback?.trim() ? ` Their feedback: ${decision.feedback.trim()}` : '';
        return result(call, `The user rejected this call; it was not run.${feedback}`, 'rejected', true);
      }
      const waiting = pending.get(call.id);
      if (waiting) return { kind: 'wait', pending: waiting };
      const approval = await decideApproval(
        checked.spec,
        checked.args,
        {
          sessionId,
          spentUsd,
          signal: input.signal,
          ...(input.capCheck ? { capCheck: input.capCheck } : {}),
        },
        input.approval,
      );
      if (approval.refusal !== undefined) {
        return result(call, `Not run: ${approval.refusal}.`, 'failed', true);
      }
      if (approval.reason !== undefined) {
        const { estimate } = approval;
        return {
          kind: 'wait',
          pending: { toolCall: call, reason: approval.reason, ...(estimate ? { estimate } : {}) },
        };
      }
      spentUsd += approval.estimate?.usd ?? 0;
      return { kind: 'run', checked };
    })();
    plans.push(plan);
  }

  // Start every runnable call now; record results strictly in the original order.
  const running = plans.map((plan) =>
    plan.kind === 'run' ? executeCall(deps, sessionId, plan.checked, input.signal, input.model) : undefined,
  );
  // A later call failing (Redis down) while an earlier one is awaited must not crash the process.
  for (const promise of running) promise?.catch(() => undefined);
  const recorded: ToolMessage[] = [];
  for (const [i, plan] of plans.entries()) {
    if (plan.kind === 'wait') continue;
    const message = plan.kind === 'run' ? await running[i]! : plan.result;
    const state: ToolState = plan.kind === 'run' ? (message.isError ? 'failed' : 'completed') : plan.state;
    recorded.push(await recordResult(deps, sessionId, message, state));
  }

  const waiting = plans.flatMap((p) => (p.kind === 'wait' ? [p.pending] : []));
  if (waiting.length > 0) await deps.toolCalls.setPending(sessionId, waiting);
  return { recorded, waiting };
}

/** Whether a priced call would pass a daily cap now (its quote against today's spend). */
async function capRefusalOf(
  checked: Extract<ReturnType<typeof checkCall>, { ok: true }>,
  sessionId: string,
  input: BatchInput,
): Promise<string | undefined> {
  if (!checked.spec.quote || !input.capCheck) return undefined;
  const quote = await checked.spec
    .quote(checked.args, { sessionId, signal: input.signal })
    .catch(() => undefined);
  return quote?.usd === undefined ? undefined : input.capCheck(quote.usd);
}

function result(call: ToolCall, content: string, state: ToolState, isError: boolean): Plan {
  return {
    kind: 'result',
    state,
    result: { role: 'tool', toolCallId: call.id, name: call.name, content, isError },
  };
}

/** Closes calls nobody will decide on (a new message arrived instead), so every call has a result. */
export async function abandonCalls(
  deps: AgentDeps,
  sessionId: string,
  calls: readonly ToolCall[],
  why: string,
): Promise<ToolMessage[]> {
  const recorded: ToolMessage[] = [];
  for (const call of calls) {
    const message: ToolMessage = {
      role: 'tool',
      toolCallId: call.id,
      name: call.name,
      content: `Not run: ${why}`,
      isError: true,
    };
    recorded.push(await recordResult(deps, sessionId, message, 'abandoned'));
  }
  await deps.toolCalls.clearPending(sessionId);
  return recorded;
}

/**
 * Appends a call's result to the history (closing its journal entry) and tells the thread. The
 * result is redacted first: what the model sees, what is stored and what the thread shows are the
 * same redacted text. Returns the message as recorded.
 */
async function recordResult(
  deps: AgentDeps,
  sessionId: string,
  result: ToolMessage,
  state: ToolState,
): Promise<ToolMessage> {
  const message: ToolMessage = { ...result, content: deps.redact(result.content) };
  await deps.toolCalls.record(sessionId, message);
  await emitEvent(deps, sessionId, {
    type: 'tool_output',
    toolCallId: message.toolCallId,
    tool: message.name,
    output: message.content,
    ok: !message.isError,
  });
  await emitEvent(deps, sessionId, {
    type: 'tool_state_change',
    toolCallId: message.toolCallId,
    tool: message.name,
    state,
  });
  return message;
}
