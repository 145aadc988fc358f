import type { ChatMessage } from '../core/messages.js';
import type { SessionRecord } from '../store/session-store.js';
import { emitEvent, writeLast, type AgentDeps } from './agent-deps.js';
import { compactHistory } from './compaction.js';
import { detectDoomLoop } from './doom-loop.js';
import { danglingToolCalls } from './history-queries.js';
import { repeatedMalformedNote } from './malformed-calls.js';
import { checkSpendGate } from './spend-gate.js';
import { callModel } from './model-call.js';
import { dailyCapRefusal, subAgentModel } from './turn-spend.js';
import { haltSignal, type Turn, type TurnOutcome } from './turn.js';
import { abandonCalls, settleToolCalls } from './tool-batch.js';

/** How often a turn that ends with open todos is nudged to continue. */
const MAX_PLAN_NUDGES = 2;

/**
 * The agent loop of the reference agent: LLM call → tool calls → results, until the model answers
 * without tools, a call needs approval, the user interrupts, or `maxIterations` is reached. Unanswered
 * calls are settled first on every pass, which is also how a turn resumes after approval or a crash.
 */
export async function runTurn(deps: AgentDeps, turn: Turn): Promise<TurnOutcome> {
  const { id: sessionId } = turn.session;
  const maxIterations = turn.session.maxIterations ?? deps.config.maxIterations;
  let iterations = 0;
  let nudges = 0;
  for (;;) {
    if (turn.stop.aborted) return 'yielded';
    if (turn.cancel.aborted) return finishInterrupted(deps, turn);

    // Before anything that may spend: the thread's spending pause.
    const gate = await checkSpendGate(deps, turn);
    if (gate === 'paused') return 'awaiting_approval';
    if (gate === 'stopped') {
      const unanswered = danglingToolCalls(turn.history);
      if (unanswered.length > 0) {
        turn.history.push(
          ...(await abandonCalls(deps, sessionId, unanswered, 'the team chose not to spend more.')),
        );
      }
      return finishTurn(deps, turn, 'done');
    }

    const dangling = danglingToolCalls(turn.history);
    if (dangling.length > 0) {
      delete turn.todos; // the tools may change the plan
      const { recorded, waiting } = await settleToolCalls(deps, {
        sessionId,
        calls: dangling,
        decisions: turn.decisions,
        approval: approvalSettings(deps, turn.session),
        signal: haltSignal(turn),
        model: subAgentModel(deps, turn),
        capCheck: (usd) => dailyCapRefusal(deps, turn.session.owner, usd),
      });
      turn.history.push(...recorded);
      if (waiting.length > 0) {
        await writeLast(
          deps,
          Promise.all([
            deps.sessions.update(sessionId, { status: 'awaiting_approval' }),
            emitEvent(deps, sessionId, {
              type: 'approval_required',
              calls: waiting.map((w) => ({
                toolCallId: w.toolCall.id,
                tool: w.toolCall.name,
                args: w.toolCall.input,
                reason: w.reason,
                ...(w.estimate ? { estimate: w.estimate } : {}),
              })),
            }),
          ]),
        );
        return 'awaiting_approval';
      }
      if (turn.stop.aborted && !turn.cancel.aborted) return 'yielded';
      continue;
    }

    if (iterations >= maxIterations) {
      await emitEvent(deps, sessionId, {
        type: 'error',
        code: 'max_iterations',
        message: `Stopped after ${maxIterations} iterations without finishing. Say "continue" to go on.`,
      });
      return finishTurn(deps, turn, 'max_iterations');
    }

    if (shouldCompact(deps, turn)) {
      if ((await compactHistory(deps, turn)) === 'ended') return 'ended';
    }
    const note = detectDoomLoop(turn.history) ?? repeatedMalformedNote(turn.history);
    if (note) await appendNote(deps, turn, note);

    const capped = await dailyCapRefusal(deps, turn.session.owner, 0);
    if (capped !== undefined) {
      await emitEvent(deps, sessionId, {
        type: 'error',
        code: 'budget_cap',
        message: `Stopped before the next model call: ${capped}. The caps reset at midnight UTC.`,
      });
      return finishTurn(deps, turn, 'done');
    }

    iterations++;
    const response = await callModel(deps, turn);
    if (response === 'interrupted')
      return turn.stop.aborted && !turn.cancel.aborted ? 'yielded' : finishInterrupted(deps, turn);
    if (response === 'ended') return 'ended';
    if (response.toolCalls.length > 0) continue;

    const open = response.openTodos;
    if (open.length > 0 && nudges < MAX_PLAN_NUDGES) {
      nudges++;
      const list = open.map((t) => `- ${t.content} (${t.status})`).join('\n');
      await appendNote(
        deps,
        turn,
        `Your plan still has open todos:\n${list}\nContinue working on them, or update the plan with plan_tool if they are done or no longer needed.`,
      );
      continue;
    }
    return finishTurn(deps, turn, 'done');
  }
}

function shouldCompact(deps: AgentDeps, turn: Turn): boolean {
  return turn.session.contextTokens >= deps.config.compactionThreshold * turn.model.contextWindow;
}

async function appendNote(deps: AgentDeps, turn: Turn, content: string): Promise<void> {
  const note: ChatMessage = { role: 'user', content, synthetic: 'note' };
  await deps.history.append(turn.session.id, note);
  turn.history.push(note);
}

export function approvalSettings(deps: AgentDeps, session: SessionRecord) {
  return {
    yolo: deps.config.approval.yolo || session.yolo === '1',
    require: deps.config.approval.require,
    yoloCapUsd: deps.config.budget.yoloCapUsd,
  };
}

/** The turn's status and the event that announces it: the run's last writes (see `writeLast`). */
async function finishTurn(
  deps: AgentDeps,
  turn: Turn,
  reason: 'done' | 'max_iterations',
): Promise<TurnOutcome> {
  await writeLast(
    deps,
    Promise.all([
      deps.sessions.update(turn.session.id, { status: 'idle' }),
      emitEvent(deps, turn.session.id, {
        type: 'turn_complete',
        reason,
        usage: turn.usage,
        costUsd: turn.costUsd,
        ...(turn.costUnknown ? { costUnknown: true } : {}),
      }),
    ]),
  );
  return reason;
}

/** Gives every unanswered call a result so the history stays valid, then reports the interrupt. */
async function finishInterrupted(deps: AgentDeps, turn: Turn): Promise<TurnOutcome> {
  const dangling = danglingToolCalls(turn.history);
  if (dangling.length > 0) {
    turn.history.push(
      ...(await abandonCalls(deps, turn.session.id, dangling, 'the user interrupted the turn.')),
    );
  }
  await writeLast(
    deps,
    Promise.all([
      deps.sessions.update(turn.session.id, { status: 'idle' }),
      emitEvent(deps, turn.session.id, { type: 'interrupted' }),
    ]),
  );
  return 'interrupted';
}
