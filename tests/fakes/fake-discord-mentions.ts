import type { APIAllowedMentions } from 'discord.js';
import { AllowedMentionsTypes, InteractionResponseType } from 'discord.js';
import type { FakeDiscordCall } from './fake-discord-rest.js';
import type { DiscordWorld } from './fake-discord-world.js';
import { parseMentions } from './fake-discord-world.js';

/**
 * Every request that creates or edits a message, with its `allowed_mentions` and whom Discord would
 * notify for it. Tests assert on this to prove that no text the bot posts pings anyone it did not
 * mean to ping, whichever API posted it (channel messages, interaction responses, follow-ups).
 */

/** One message-writing request. */
export interface FakeDiscordMessageWrite {
  call: FakeDiscordCall;
  kind: 'create' | 'edit' | 'interaction-response' | 'interaction-update' | 'follow-up' | 'response-edit';
  content: string | undefined;
  /** The request's `allowed_mentions`; undefined when it sent none (Discord then parses the content). */
  allowedMentions: APIAllowedMentions | undefined;
  /** A reply (`message_reference`) to this message's author. */
  repliesTo: string | undefined;
  /** Who Discord would notify. */
  pings: { users: string[]; roles: string[]; everyone: boolean; repliedUser: boolean };
}

type Kind = FakeDiscordMessageWrite['kind'];
type Body = Record<string, unknown>;

/** The part of a call's body that is a message, and what kind of write it is. */
function messageOf(call: FakeDiscordCall): { kind: Kind; body: Body } | undefined {
  const body = (typeof call.body === 'object' && call.body !== null ? call.body : {}) as Body;
  switch (`${call.method} ${call.route ?? ''}`) {
    case 'POST /channels/:channelId/messages':
      return { kind: 'create', body };
    case 'PATCH /channels/:channelId/messages/:messageId':
      return { kind: 'edit', body };
    case 'POST /webhooks/:appId/:token':
      return { kind: 'follow-up', body };
    case 'PATCH /webhooks/:appId/:token/messages/:messageId':
      return { kind: 'response-edit', body };
    case 'POST /interactions/:interactionId/:token/callback': {
      const data = (body.data ?? {}) as Body;
      if (body.type === InteractionResponseType.ChannelMessageWithSource)
        return { kind: 'interaction-response', body: data };
      if (body.type === InteractionResponseType.UpdateMessage)
        return { kind: 'interaction-update', body: data };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Discord's rules: no `allowed_mentions` parses everything (interactions: users only); else only what it allows. */
function pingsOf(
  content: string,
  allowed: APIAllowedMentions | undefined,
  kind: Kind,
  repliesTo: string | undefined,
): FakeDiscordMessageWrite['pings'] {
  const found = parseMentions(content);
  if (allowed === undefined) {
    const interaction = kind !== 'create' && kind !== 'edit';
    return {
      users: found.users,
      roles: interaction ? [] : found.roles,
      everyone: interaction ? false : found.everyone,
      repliedUser: repliesTo !== undefined,
    };
  }
  const parse = allowed.parse ?? [];
  return {
    users: parse.includes(AllowedMentionsTypes.User)
      ? found.users
      : found.users.filter((u) => allowed.users?.includes(u)),
    roles: parse.includes(AllowedMentionsTypes.Role)
      ? found.roles
      : found.roles.filter((r) => allowed.roles?.includes(r)),
    everyone: parse.includes(AllowedMentionsTypes.Everyone) && found.everyone,
    repliedUser: repliesTo !== undefined && allowed.replied_user === true,
  };
}

export function messageWrites(
  calls: readonly FakeDiscordCall[],
  world: DiscordWorld,
): FakeDiscordMessageWrite[] {
  return calls.flatMap((call) => {
    const found = messageOf(call);
    if (found === undefined) return [];
    const { kind, body } = found;
    const content = typeof body.content === 'string' ? body.content : undefined;
    const allowed = body.allowed_mentions as APIAllowedMentions | undefined | null;
    const reference = body.message_reference as { message_id?: string } | undefined | null;
    const repliesTo =
      reference?.message_id === undefined ? undefined : world.message(reference.message_id)?.authorId;
    const allowedMentions = allowed ?? undefined;
    return [
      {
        call,
        kind,
        content,
        allowedMentions,
        repliesTo,
        pings: pingsOf(content ?? '', allowedMentions, kind, repliesTo),
      },
    ];
  });
}
