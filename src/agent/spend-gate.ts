import type { PendingCall } from '../store/tool-call-store.js';
import { emitEvent, type AgentDeps } from './agent-deps.js';
import type { Turn } from './turn.js';

/**
 * Spending pauses: once a thread's total passes `budget.warnAtUsd`, and again at each doubling after
 * it ($5, $10, $20, …), the intern stops before it spends more and asks for a Continue click. The
 * question is an ordinary approval card (the `continue_spending` "call", which is never in the
 * history), so every platform shows it with its buttons and only approvers may decide.
 */
export const SPEND_GATE_TOOL = 'continue_spending';
const GATE_PREFIX = 'spend-gate-';

export type GateOutcome = 'pass' | 'paused' | 'stopped';

/** The pause after `reached`: the first doubling of `warnAt` above what has been spent. */
export function nextPauseUsd(warnAtUsd: number, spentUsd: number): number {
  let next = warnAtUsd;
  while (next <= spentUsd) next *= 2;
  return next;
}

/**
 * Called before each step that may spend (a model call, running tools). Applies a Continue or Stop
 * decision when the turn carries one; otherwise pauses when the spend has reached the next pause.
 */
export async function checkSpendGate(deps: AgentDeps, turn: Turn): Promise<GateOutcome> {
  const sessionId = turn.session.id;
  const gate = [...turn.decisions.values()].find((d) => d.toolCallId.startsWith(GATE_PREFIX));
  const spend = turn.spend ?? (await deps.sessions.spendOf(sessionId));
  delete turn.spend;
  const spentUsd = spend.costUsd;
  const warnAtUsd = deps.config.budget.warnAtUsd;
  const pauseAt = spend.spendPauseAtUsd ?? warnAtUsd;
  if (gate) {
    turn.decisions = new Map([...turn.decisions].filter(([id]) => id !== gate.toolCallId));
    await deps.toolCalls.dropPending(sessionId, gate.toolCallId);
    if (!gate.approved) {
      await emitEvent(deps, sessionId, {
        type: 'error',
        code: 'spending_stopped',
        message: `Stopped: the thread has spent $${spentUsd.toFixed(2)} and the team chose not to spend more.`,
      });
      return 'stopped';
    }
    const next = nextPauseUsd(warnAtUsd, Math.max(spentUsd, pauseAt));
    await deps.sessions.update(sessionId, { spendPauseAtUsd: next });
    deps.logger.info({ sessionId, spentUsd, nextPauseUsd: next }, 'spending continued after a pause');
    return 'pass';
  }
  if (spentUsd < pauseAt) return 'pass';
  const call: PendingCall = {
    toolCall: {
      id: `${GATE_PREFIX}${pauseAt}`,
      name: SPEND_GATE_TOOL,
      input: {
        spentUsd: round(spentUsd),
        pauseAtUsd: pauseAt,
        nextPauseUsd: nextPauseUsd(warnAtUsd, Math.max(spentUsd, pauseAt)),
      },
    },
    reason: `This thread has spent $${spentUsd.toFixed(2)}, past its $${pauseAt.toFixed(2)} pause (budget.warnAtUsd): approve to continue, reject to stop here.`,
  };
  await deps.toolCalls.setPending(sessionId, [call]);
  await deps.sessions.update(sessionId, { status: 'awaiting_approval' });
  await emitEvent(deps, sessionId, {
    type: 'approval_required',
    calls: [
      { toolCallId: call.toolCall.id, tool: SPEND_GATE_TOOL, args: call.toolCall.input, reason: call.reason },
    ],
  });
  deps.logger.info({ sessionId, spentUsd, pauseAtUsd: pauseAt }, 'spending paused for a Continue click');
  return 'paused';
}

function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}
