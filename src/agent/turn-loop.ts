import { anySignal } from 'any-signal';
import type { ApprovalDecision } from '../core/operations.js';
import type { ChatMessage } from '../core/messages.js';
import type { EventBody, OperationOutcome, Usage } from '../core/events.js';
import type { LlmResponse } from '../core/llm-provider.js';
import { ContextWindowExceededError, InterruptedError } from '../core/errors.js';
import type { SessionRecord, SessionSpend } from '../store/session-store.js';
import type { Todo } from '../core/events.js';
import { openTodos } from '../tools/plan-tool.js';
import { emitEvent, writeLast, type AgentDeps, type ResolvedModel } from './agent-deps.js';
import { compactHistory } from './compaction.js';
import { detectDoomLoop } from './doom-loop.js';
import { danglingToolCalls } from './history-queries.js';
import { repeatedMalformedNote } from './malformed-calls.js';
import { checkSpendGate } from './spend-gate.js';
import { addUsage, dailyCapRefusal, subAgentModel } from './turn-spend.js';
import { abandonCalls, settleToolCalls } from './tool-batch.js';

/** How often a turn that ends with open todos is nudged to continue. */
const MAX_PLAN_NUDGES = 2;

/** The state of one turn while it runs; the history mirrors what is in Redis. */
export interface Turn {
  session: SessionRecord;
  history: ChatMessage[];
  model: ResolvedModel;
  /** The system prompt of this turn: the configured one plus the skills section. */
  system: string;
  /** The user's interrupt. */
  cancel: AbortSignal;
  /** Worker shutdown or a lost session lock: stop at a safe point and let another worker resume. */
  stop: AbortSignal;
  decisions: ReadonlyMap<string, ApprovalDecision>;
  usage: Usage;
  costUsd: number;
  /** Some call of this turn had no known price. */
  costUnknown: boolean;
  /** Put before the turn's first text (`<@U123> `): whom an unasked report is for. */
  mention?: string;
  /** The spend, read with the message the turn answers: the turn's first spending check uses it. */
  spend?: Promise<SessionSpend>;
  /** `cancel` or `stop`, as one signal (see {@link haltSignal}). */
  halt?: AbortSignal;
}

/**
 * The user's interrupt or a stop, as one signal, made once per turn. `anySignal` rather than
 * Node's `AbortSignal.any`, which costs about 18 µs a call (bench (d) profile) and leaks
 * (nodejs/node#54614); its listeners go with the turn's own signals, which end with the operation.
 */
export function haltSignal(turn: Turn): AbortSignal {
  return (turn.halt ??= anySignal([turn.cancel, turn.stop]));
}

/** How a turn ended (see `OperationOutcome`), or `yielded`: stopped midway for another worker to resume. */
export type TurnOutcome = Exclude<OperationOutcome, 'error'> | 'yielded';

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

/** The turn's pending mention, once: the first text shown carries it. */
function takeMention(turn: Turn): string {
  const mention = turn.mention ?? '';
  delete turn.mention;
  return mention;
}

async function callModel(deps: AgentDeps, turn: Turn) {
  const { id: sessionId } = turn.session;
  const stream = turn.session.stream === undefined ? deps.config.stream : turn.session.stream === '1';
  const signal = haltSignal(turn);
  for (let attempt = 0; ; attempt++) {
    let streamed = false;
    // Each chunk is sent as it arrives: writes reach Redis in the order they are issued (one
    // connection), so they need no chain, and the last ones share a script with the answer.
    const chunks: Array<Promise<unknown>> = [];
    let response: LlmResponse;
    try {
      response = await turn.model.provider.complete(
        {
          model: turn.model.modelId,
          system: turn.system,
          messages: turn.history,
          tools: deps.registry.definitions(),
          maxTokens: deps.config.maxOutputTokens,
          stream,
        },
        (delta) => {
          if (!stream || delta.length === 0) return;
          streamed = true;
          const text = `${takeMention(turn)}${delta}`;
          const emitted = emitEvent(deps, sessionId, { type: 'assistant_chunk', text });
          // Awaited below; handled until then (a lost lock also stops the stream through `signal`).
          emitted.catch(() => undefined);
          chunks.push(emitted);
        },
        signal,
      );
    } catch (err) {
      for (const result of await Promise.allSettled(chunks)) {
        if (result.status === 'rejected')
          deps.logger.warn({ err: result.reason, sessionId }, 'chunk emit failed');
      }
      if (streamed) await emitEvent(deps, sessionId, { type: 'assistant_stream_end' });
      if (err instanceof InterruptedError || signal.aborted) return 'interrupted' as const;
      deps.metrics.llmCall(turn.session.model, 'error');
      if (err instanceof ContextWindowExceededError && attempt === 0) {
        deps.logger.warn({ sessionId }, 'context window exceeded, compacting before retrying');
        if ((await compactHistory(deps, turn)) === 'ended') return 'ended' as const;
        continue;
      }
      throw err;
    }
    const openTodos = await recordAnswer(deps, turn, response, streamed, chunks);
    return { ...response, openTodos };
  }
}

/**
 * Records the model's answer: its usage, the end of its stream (or its whole text), the history
 * message and the tool calls it asks for, issued together so they go to Redis as one script (with
 * the stream's last chunks, when they are still on their way). A final answer (no tool calls) is
 * followed by the plan check, so the plan is read in that script too; its open todos are returned.
 */
async function recordAnswer(
  deps: AgentDeps,
  turn: Turn,
  response: LlmResponse,
  streamed: boolean,
  chunks: ReadonlyArray<Promise<unknown>>,
): Promise<Todo[]> {
  const { id: sessionId } = turn.session;
  const assistant: ChatMessage = {
    role: 'assistant',
    content: response.text,
    ...(response.toolCalls.length > 0 ? { toolCalls: response.toolCalls } : {}),
  };
  const end: EventBody | undefined = streamed
    ? { type: 'assistant_stream_end' }
    : response.text.length > 0
      ? { type: 'assistant_message', text: `${takeMention(turn)}${response.text}` }
      : undefined;
  const todos = response.toolCalls.length === 0 ? openTodos(deps.toolState(sessionId)) : Promise.resolve([]);
  await Promise.all([
    todos,
    ...chunks,
    recordUsage(deps, turn, response.usage),
    end && emitEvent(deps, sessionId, end),
    deps.history.append(sessionId, assistant),
    ...response.toolCalls.map((call) =>
      emitEvent(deps, sessionId, {
        type: 'tool_call',
        toolCallId: call.id,
        tool: call.name,
        args: call.input,
      }),
    ),
  ]);
  turn.history.push(assistant);
  return todos;
}

async function recordUsage(deps: AgentDeps, turn: Turn, usage: Usage): Promise<void> {
  const cost = turn.model.costOf(usage);
  deps.metrics.llmCall(turn.session.model, 'ok', usage, cost);
  turn.usage = addUsage(turn.usage, usage);
  if (cost === undefined) turn.costUnknown = true;
  else turn.costUsd += cost;
  turn.session.contextTokens =
    usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
  await Promise.all([
    deps.sessions.addUsage(turn.session.id, usage, cost),
    cost !== undefined && deps.spend.add(turn.session.owner, cost),
  ]);
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
