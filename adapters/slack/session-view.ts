import type { Usage } from '../../src/core/events.js';
import type { AgentGateway } from '../../src/core/agent-gateway.js';
import type { ToolLine } from '../shared/event-text.js';
import type { CoalescedMessage } from './coalesced-message.js';
import type { MentionPolicy } from './render/mention-guard.js';
import type { StreamWriter } from './render/stream-writer.js';
import { PLATFORM } from './slack-context.js';
import { mentionPolicy, PARTICIPANTS_FIELD } from './thread-participants.js';

/** What the Slack renderer keeps about one session's thread between events. */
export interface SessionView {
  channel: string;
  threadTs: string;
  status: CoalescedMessage;
  plan: CoalescedMessage;
  tools: CoalescedMessage | undefined;
  toolLines: Map<string, ToolLine>;
  writer: StreamWriter | undefined;
  /** Who a streaming message is for (Slack requires it outside DMs). */
  recipient: { teamId: string | undefined; userId: string | undefined };
  /** Whom the model's text may mention: the thread's participants, a handful at most. */
  mentions: MentionPolicy;
  /** The status line belongs to an operation still running (kept in adapter state for restarts). */
  statusOpen: boolean;
  /** The usage line of the operation's turn, shown when it ends. */
  usage: { usage: Usage; costUsd: number; costUnknown?: boolean | undefined } | undefined;
  /** The session ended (`shutdown`): stop following it once its operation completes. */
  ended: boolean;
}

/**
 * A session's view rebuilt from its summary and adapter state (message ids, team, participants),
 * so a restarted gateway goes on editing the same messages; undefined when the session has no
 * Slack thread.
 */
export async function loadSessionView(
  gateway: AgentGateway,
  sessionId: string,
  message: (thread: { channel: string; threadTs: string }, ts?: string) => CoalescedMessage,
): Promise<SessionView | undefined> {
  const [summary, saved] = await Promise.all([
    gateway.session(sessionId),
    gateway
      .adapterState(PLATFORM)
      .getMany(sessionId, ['status', 'plan', 'team', 'statusOpen', PARTICIPANTS_FIELD]),
  ]);
  const thread = summary?.thread;
  if (!thread || thread.platform !== PLATFORM) return undefined;
  const partial = { channel: thread.channel, threadTs: thread.thread };
  return {
    ...partial,
    status: message(partial, saved.status || undefined),
    plan: message(partial, saved.plan || undefined),
    tools: undefined,
    toolLines: new Map(),
    writer: undefined,
    recipient: { teamId: saved.team || undefined, userId: summary.owner },
    mentions: mentionPolicy(summary.owner, saved[PARTICIPANTS_FIELD]),
    statusOpen: saved.statusOpen === '1',
    usage: undefined,
    ended: false,
  };
}
