import type { Todo } from '../core/events.js';
import type { ChatMessage } from '../core/messages.js';
import type { OperationEnvelope } from '../core/operations.js';
import type { SessionRecord } from '../store/session-store.js';
import type { AgentDeps } from './agent-deps.js';
import { danglingToolCalls } from './history-queries.js';
import { answered, idle } from './session-steps.js';
import { abandonCalls } from './tool-batch.js';
import { runTurn } from './turn-loop.js';
import { appended, newTurn, type TurnOutcome } from './turn.js';

/**
 * Adds a message (the user's, or the note of an ended job) and runs a turn on it. A resumed run
 * looks for its message first: the run before it may have stopped before adding it, or after
 * answering it.
 */
export async function turnOnMessage(
  deps: AgentDeps,
  envelope: OperationEnvelope,
  session: SessionRecord,
  history: ChatMessage[],
  resuming: boolean,
  cancel: AbortSignal,
  stop: AbortSignal,
  input: {
    content: string;
    synthetic?: 'note';
    abandonWhy: string;
    mention?: string;
    todos: Promise<Todo[]> | undefined;
  },
): Promise<TurnOutcome> {
  const { sessionId } = envelope;
  const added = resuming && history.some((m) => m.role === 'user' && m.opId === envelope.id);
  let appending: Promise<unknown> | undefined;
  if (!added) {
    // Calls still waiting for a decision are closed: every tool call always gets a result.
    const dangling = danglingToolCalls(history);
    if (dangling.length > 0) {
      history.push(...(await abandonCalls(deps, sessionId, dangling, input.abandonWhy)));
    }
    const message: ChatMessage = {
      role: 'user',
      content: input.content,
      opId: envelope.id,
      ...(input.synthetic ? { synthetic: input.synthetic } : {}),
    };
    // Not waited for here: the model call goes out while the append is on its way (see
    // `Turn.appending`); handled until the turn awaits it.
    appending = deps.history.append(sessionId, message);
    appending.catch(() => undefined);
    history.push(message);
  } else if (answered(history)) {
    // The run before this one finished the turn and stopped just before saying so.
    await idle(deps, sessionId);
    return 'done';
  }
  const turn = await newTurn(deps, session, history, { cancel, stop }, new Map());
  if (input.mention) turn.mention = input.mention;
  if (input.todos) turn.todos = input.todos;
  if (appending) turn.appending = appending;
  // The first spending check uses the session as this run read it (with the lock, or with the
  // previous operation's removal) instead of a read of its own: only a job's cost is added outside
  // the run, and the check before each later step reads afresh.
  turn.spend = { costUsd: session.costUsd, spendPauseAtUsd: session.spendPauseAtUsd };
  const outcome = await runTurn(deps, turn);
  await appended(turn);
  return outcome;
}
