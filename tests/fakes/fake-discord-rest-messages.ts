import { ChannelType, MessageFlags } from 'discord.js';
import { ERRORS, invalidForm } from './fake-discord-http.js';
import type { RouteAnswer } from './fake-discord-http.js';
import { snowflake } from './fake-discord-ids.js';
import { isAnswer, liveMessage, param, readable } from './fake-discord-rest-common.js';
import type { RestDeps } from './fake-discord-rest-common.js';
import type { RouteContext } from './fake-discord-routes.js';
import { channelToApi, messageToApi } from './fake-discord-shapes.js';
import { isRefusal, readMessageBody } from './fake-discord-validate.js';
import type { FakeDiscordChannel } from './fake-discord-world.js';
import { isThread } from './fake-discord-world.js';

/** What `POST/PATCH /channels/:id/messages...` and the thread routes do to the world. */

const ARCHIVE_DURATIONS = new Set([60, 1440, 4320, 10080]);
const NONCE_WINDOW_MS = 5 * 60_000;

/** Posting into an archived thread unarchives it (unless locked), as Discord does. */
function reopenThread(
  deps: RestDeps,
  ctx: RouteContext,
  channel: FakeDiscordChannel,
): RouteAnswer | undefined {
  if (!isThread(channel) || !channel.archived) return undefined;
  if (channel.locked) return ERRORS.threadLocked();
  channel.archived = false;
  ctx.later(() => deps.events.thread('THREAD_UPDATE', channel));
  return undefined;
}

export function createMessage(deps: RestDeps, ctx: RouteContext): RouteAnswer {
  const { world } = deps;
  const channel = world.channels.get(param(ctx, 'channelId'));
  if (channel === undefined || channel.type === ChannelType.GuildCategory) return ERRORS.unknownChannel();
  const fields = readMessageBody(world, ctx.body, ctx.files, 'create');
  if (isRefusal(fields)) return fields;
  const reopened = reopenThread(deps, ctx, channel);
  if (reopened !== undefined) return reopened;
  if (fields.enforceNonce && fields.nonce !== undefined) {
    // `enforce_nonce`: a retried send with the same nonce returns the first message, not a second.
    const since = Date.now() - NONCE_WINDOW_MS;
    const earlier = world.messages.find(
      (m) =>
        m.channelId === channel.id &&
        m.authorId === world.botUserId &&
        m.nonce === fields.nonce &&
        m.createdAt >= since,
    );
    if (earlier !== undefined) return { status: 200, body: messageToApi(world, earlier) };
  }
  const ref = fields.reference;
  if (ref?.message_id !== undefined && world.message(ref.message_id) === undefined) {
    if ((ref as { fail_if_not_exists?: boolean }).fail_if_not_exists !== false) {
      return invalidForm('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
    }
  }
  const message = world.addMessage({
    channelId: channel.id,
    authorId: world.botUserId,
    ...(fields.content !== undefined ? { content: fields.content } : {}),
    ...(fields.embeds !== undefined ? { embeds: fields.embeds } : {}),
    ...(fields.components !== undefined ? { components: fields.components } : {}),
    ...(fields.attachments !== undefined ? { attachments: fields.attachments } : {}),
    // Ephemeral exists only for interaction responses; a channel message drops the bit.
    flags: (fields.flags ?? 0) & ~MessageFlags.Ephemeral,
    tts: fields.tts,
    ...(fields.nonce !== undefined ? { nonce: fields.nonce } : {}),
    ...(ref?.message_id !== undefined && world.message(ref.message_id) !== undefined
      ? {
          reference: { ...ref, channel_id: ref.channel_id ?? channel.id, guild_id: channel.guildId },
          repliedUser: fields.repliedUser,
        }
      : {}),
  });
  ctx.later(() => deps.events.messageCreate(message));
  return { status: 200, body: messageToApi(world, message) };
}

export function editMessage(deps: RestDeps, ctx: RouteContext): RouteAnswer {
  const message = liveMessage(deps, ctx);
  if (isAnswer(message)) return message;
  const fields = readMessageBody(deps.world, ctx.body, ctx.files, 'edit', message.attachments);
  if (isRefusal(fields)) return fields;
  const onlyFlags = Object.keys(fields.raw).every((k) => k === 'flags');
  if (message.authorId !== deps.world.botUserId && !onlyFlags) return ERRORS.otherUsersMessage();
  deps.world.editMessage(message, fields, fields.raw, 'rest');
  ctx.later(() => deps.events.messageUpdate(message));
  return { status: 200, body: messageToApi(deps.world, message) };
}

export function startThread(deps: RestDeps, ctx: RouteContext): RouteAnswer {
  const { world } = deps;
  const channel = world.channels.get(param(ctx, 'channelId'));
  if (channel === undefined) return ERRORS.unknownChannel();
  const fromMessage = ctx.params.messageId !== undefined;
  const message = fromMessage ? liveMessage(deps, ctx) : undefined;
  if (isAnswer(message)) return message;
  if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)
    return ERRORS.wrongChannelType();
  if (message?.threadId !== undefined) return ERRORS.threadExists();
  const body = (ctx.body ?? {}) as {
    name?: unknown;
    auto_archive_duration?: unknown;
    type?: unknown;
    rate_limit_per_user?: unknown;
  };
  const name = typeof body.name === 'string' ? body.name : '';
  if (name.length < 1 || name.length > 100)
    return invalidForm('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  const duration = typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : 4320;
  if (!ARCHIVE_DURATIONS.has(duration))
    return invalidForm(
      'auto_archive_duration',
      'BASE_TYPE_CHOICES',
      'Value must be one of {60, 1440, 4320, 10080}.',
    );
  const type =
    channel.type === ChannelType.GuildAnnouncement
      ? ChannelType.AnnouncementThread
      : fromMessage
        ? ChannelType.PublicThread
        : body.type === ChannelType.PublicThread
          ? ChannelType.PublicThread
          : ChannelType.PrivateThread;
  const thread = world.addChannel({
    // A thread started from a message takes the message's id.
    id: message?.id ?? snowflake(),
    type,
    name,
    guildId: channel.guildId,
    parentId: channel.id,
    ownerId: world.botUserId,
    startMessageId: message?.id,
    autoArchiveDuration: duration,
    rateLimitPerUser: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
    memberIds: new Set([world.botUserId]),
  });
  if (message !== undefined) {
    message.threadId = thread.id;
    message.flags |= MessageFlags.HasThread;
  }
  ctx.later(() => deps.events.thread('THREAD_CREATE', thread));
  return { status: 201, body: channelToApi(world, thread) };
}

export function listMessages(deps: RestDeps, ctx: RouteContext): RouteAnswer {
  const channel = deps.world.channels.get(param(ctx, 'channelId'));
  if (channel === undefined) return ERRORS.unknownChannel();
  const limit = Math.min(100, Math.max(1, Number(ctx.query.get('limit') ?? 50)));
  const before = ctx.query.get('before');
  const after = ctx.query.get('after');
  const newestFirst = deps.world.messages
    .filter((m) => m.channelId === channel.id && !m.deleted && !m.ephemeral)
    .filter((m) => before === null || BigInt(m.id) < BigInt(before))
    .filter((m) => after === null || BigInt(m.id) > BigInt(after))
    .reverse();
  const page = after !== null ? newestFirst.slice(-limit) : newestFirst.slice(0, limit);
  return { status: 200, body: page.map((m) => readable(deps, m)) };
}
