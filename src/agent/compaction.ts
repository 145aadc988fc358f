import type { ChatMessage } from '../core/messages.js';
import { emitEvent, type AgentDeps } from './agent-deps.js';
import { estimateTokens } from './history-queries.js';
import { haltSignal, type Turn } from './turn.js';

const SUMMARY_PROMPT =
  'You summarise the middle of a working session between a user and an autonomous ML engineer agent, ' +
  'so that the agent can continue the work without it. Keep: the goal and constraints the user gave, ' +
  'decisions made and why, facts learned (dataset formats, model ids, hardware, errors and their fixes), ' +
  'files, repos, jobs and URLs created with their ids, what is done and what remains. Be concise and ' +
  'factual; write it as notes, not as a conversation.';

/** Longest transcript sent to the summariser, and the longest tool output kept in it. */
const MAX_TRANSCRIPT_CHARS = 400_000;
const MAX_TOOL_OUTPUT_IN_TRANSCRIPT = 2_000;

/**
 * Compaction of the reference agent: keep the first user message and the recent tail verbatim,
 * replace the middle with a model-written summary, rewrite the history atomically and emit
 * `compacted`. When even the compacted history is over the limit the session ends with a clear
 * error instead of compacting again and again.
 */
export async function compactHistory(deps: AgentDeps, turn: Turn): Promise<'compacted' | 'ended'> {
  const { id: sessionId } = turn.session;
  const history = turn.history;
  const limit = deps.config.compactionThreshold * turn.model.contextWindow;
  const oldTokens = Math.max(turn.session.contextTokens, estimateTokens(history, deps.systemPrompt));

  const head = firstUserIndex(history) + 1;
  const tailStart = tailStartIndex(history, head, deps.config.compactionKeepRecent);
  const middle = history.slice(head, tailStart);
  let compacted = history;
  if (middle.length > 0) {
    const summary = await turn.model.provider.complete(
      {
        model: turn.model.modelId,
        system: SUMMARY_PROMPT,
        messages: [{ role: 'user', content: transcript(middle) }],
        tools: [],
        maxTokens: 4_000,
        stream: false,
      },
      () => undefined,
      haltSignal(turn),
    );
    const cost = turn.model.costOf(summary.usage);
    if (cost === undefined) turn.costUnknown = true;
    else turn.costUsd += cost;
    await deps.sessions.addUsage(sessionId, summary.usage, cost);
    if (cost !== undefined) await deps.spend.add(turn.session.owner, cost);
    const note: ChatMessage = {
      role: 'user',
      synthetic: 'summary',
      content: `[Summary of the earlier part of this session, written to save context]\n${summary.text}`,
    };
    compacted = [...history.slice(0, head), note, ...history.slice(tailStart)];
    await deps.history.replace(sessionId, compacted);
    turn.history.splice(0, turn.history.length, ...compacted);
  }
  const newTokens = estimateTokens(compacted, deps.systemPrompt) + estimateToolTokens(deps);
  turn.session.contextTokens = newTokens;
  await deps.sessions.update(sessionId, { contextTokens: newTokens });
  await emitEvent(deps, sessionId, { type: 'compacted', oldTokens, newTokens });
  if (newTokens < limit) return 'compacted';

  await deps.sessions.update(sessionId, { status: 'ended' });
  await emitEvent(deps, sessionId, {
    type: 'error',
    code: 'context_too_large',
    message:
      `Even after compaction this conversation needs about ${newTokens} tokens, over the limit of ` +
      `${Math.floor(limit)}. This session is closed; start a new one to continue.`,
  });
  return 'ended';
}

function firstUserIndex(history: readonly ChatMessage[]): number {
  const i = history.findIndex((m) => m.role === 'user' && m.synthetic === undefined);
  return i < 0 ? -1 : i;
}

/** Start of the verbatim tail: never begins with tool results cut off from their tool calls. */
function tailStartIndex(history: readonly ChatMessage[], head: number, keep: number): number {
  let start = Math.max(head, history.length - keep);
  while (start > head && history[start]?.role === 'tool') start--;
  return start;
}

function transcript(messages: readonly ChatMessage[]): string {
  const lines = messages.map((m) => {
    switch (m.role) {
      case 'user':
        return `USER: ${m.content}`;
      case 'assistant': {
        const calls = (m.toolCalls ?? []).map((c) => `\n  → ${c.name}(${JSON.stringify(c.input)})`).join('');
        return `AGENT: ${m.content}${calls}`;
      }
      case 'tool': {
        const out =
          m.content.length > MAX_TOOL_OUTPUT_IN_TRANSCRIPT
            ? `${m.content.slice(0, MAX_TOOL_OUTPUT_IN_TRANSCRIPT)}…`
            : m.content;
        return `RESULT of ${m.name}${m.isError ? ' (error)' : ''}: ${out}`;
      }
    }
  });
  const text = lines.join('\n\n');
  return text.length > MAX_TRANSCRIPT_CHARS ? `…${text.slice(text.length - MAX_TRANSCRIPT_CHARS)}` : text;
}

function estimateToolTokens(deps: AgentDeps): number {
  return Math.ceil(JSON.stringify(deps.registry.definitions()).length / 4);
}
