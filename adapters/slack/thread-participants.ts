import type { AgentGateway } from '../../src/core/agent-gateway.js';
import { MAX_MODEL_MENTIONS, type MentionPolicy } from './render/mention-guard.js';
import { PLATFORM } from './slack-context.js';

/**
 * The people of a session's thread: its owner, and the users who wrote in the thread or clicked
 * its buttons. They are the only users the model's text may mention (see `MentionGuard`): the bot
 * can ping whoever is in the conversation, never a list of ids the model read somewhere.
 * Kept in the session's adapter state, one field, most recent last.
 */

/** The adapter-state field: space-separated user ids. */
export const PARTICIPANTS_FIELD = 'participants';

/** Older participants drop out beyond this many (the owner is always one). */
export const MAX_PARTICIPANTS = 20;

/** Slack user ids (`U…`, `W…`; tests' fakes use underscores too). */
const USER_ID = /^[UW][A-Za-z0-9_]{1,30}$/;

/** The ids stored in the field, valid ones only. */
export function parseParticipants(field: string | undefined): string[] {
  return (field ?? '').split(' ').filter((id) => USER_ID.test(id));
}

/**
 * Adds `userId` to the session's participants (no write when already there). Two users arriving
 * at the same instant may race and one be missed: they then are not mentioned, which is the safe
 * side of the trade.
 */
export async function recordParticipant(
  gateway: AgentGateway,
  sessionId: string,
  userId: string,
): Promise<void> {
  if (!USER_ID.test(userId)) return;
  const state = gateway.adapterState(PLATFORM);
  const known = parseParticipants(await state.get(sessionId, PARTICIPANTS_FIELD));
  if (known.includes(userId)) return;
  const next = [...known, userId].slice(-MAX_PARTICIPANTS);
  await state.set(sessionId, { [PARTICIPANTS_FIELD]: next.join(' ') });
}

/** Whom the model's text in this session may mention: the owner and the recorded participants. */
export function mentionPolicy(owner: string | undefined, participants: string | undefined): MentionPolicy {
  const allowed = new Set(parseParticipants(participants));
  if (owner !== undefined && USER_ID.test(owner)) allowed.add(owner);
  return { allowedUsers: allowed, maxMentions: MAX_MODEL_MENTIONS };
}
