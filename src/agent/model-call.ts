import type { EventBody, Todo, Usage } from '../core/events.js';
import { ContextWindowExceededError, InterruptedError } from '../core/errors.js';
import type { LlmResponse } from '../core/llm-provider.js';
import type { ChatMessage } from '../core/messages.js';
import { openTodos } from '../tools/plan-tool.js';
import { emitEvent, writeLast, type AgentDeps } from './agent-deps.js';
import { compactHistory } from './compaction.js';
import { addUsage } from './turn-spend.js';
import { appended, haltSignal, type Turn } from './turn.js';

/** One model call of a turn: streamed to the thread as it comes, then recorded. */

/** The turn's pending mention, once: the first text shown carries it. */
function takeMention(turn: Turn): string {
  const mention = turn.mention ?? '';
  delete turn.mention;
  return mention;
}

export async function callModel(deps: AgentDeps, turn: Turn) {
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
      await appended(turn); // the message's append failing explains more than the call's failure
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
    await appended(turn); // the answer follows the message it answers
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
  const final = response.toolCalls.length === 0;
  const known = final ? await turn.todos : undefined;
  delete turn.todos; // a tool runs next, or the turn ends
  const writes = Promise.all([
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
  if (known?.length === 0) {
    // The turn ends with this answer (no tool to run, no open todo to nudge about): its record is
    // among the operation's last writes, which reach Redis in one script (see `writeLast`).
    await writeLast(deps, writes);
    turn.history.push(assistant);
    return [];
  }
  const [todos] = await Promise.all([
    final ? (known ?? openTodos(deps.toolState(sessionId))) : Promise.resolve([]),
    writes,
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
