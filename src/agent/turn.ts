import { anySignal } from 'any-signal';
import type { OperationOutcome, Todo, Usage } from '../core/events.js';
import type { ChatMessage } from '../core/messages.js';
import type { ApprovalDecision } from '../core/operations.js';
import type { SessionRecord, SessionSpend } from '../store/session-store.js';
import type { AgentDeps, ResolvedModel } from './agent-deps.js';

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
  /** The spend the turn's first spending check uses (then each check reads it afresh). */
  spend?: SessionSpend;
  /**
   * The append of the message the turn answers, issued without waiting: the model call need not
   * wait a round trip for it, since the run's later writes reach Redis after it (one connection, in
   * order). Awaited by {@link appended} before the answer is recorded and when the turn ends.
   */
  appending?: Promise<unknown>;
  /**
   * The plan's open todos, read with the operation's first writes. Only a tool changes the plan, so
   * they hold until one runs (they are dropped then): a first answer that calls no tool knows from
   * them whether the turn ends, and its record goes out with the operation's last writes.
   */
  todos?: Promise<Todo[]>;
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

/** Waits for the turn's message append (see {@link Turn.appending}), once; throws if it failed. */
export async function appended(turn: Turn): Promise<void> {
  const pending = turn.appending;
  if (pending === undefined) return;
  delete turn.appending;
  await pending;
}

/** How a turn ended (see `OperationOutcome`), or `yielded`: stopped midway for another worker to resume. */
export type TurnOutcome = Exclude<OperationOutcome, 'error'> | 'yielded';

/** A turn about to run on `history`: the session's model resolved, this turn's system prompt made. */
export async function newTurn(
  deps: AgentDeps,
  session: SessionRecord,
  history: Turn['history'],
  signals: { cancel: AbortSignal; stop: AbortSignal },
  decisions: Turn['decisions'],
): Promise<Turn> {
  return {
    session,
    history,
    model: await deps.resolveModel(session.model),
    system: await systemPromptOf(deps),
    cancel: signals.cancel,
    stop: signals.stop,
    decisions,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    costUsd: 0,
    costUnknown: false,
  };
}

/** The configured prompt plus what is added per turn; a failing extra never fails the turn. */
async function systemPromptOf(deps: AgentDeps): Promise<string> {
  const extras = await deps.systemPromptExtras?.().catch((err: unknown) => {
    deps.logger.warn({ err }, 'system prompt extras failed; the turn runs without them');
    return '';
  });
  return extras ? `${deps.systemPrompt}\n\n${extras}` : deps.systemPrompt;
}
