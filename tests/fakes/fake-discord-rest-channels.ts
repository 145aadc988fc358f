import { ChannelType, MessageFlags } from 'discord.js';
import type { DiscordEvents } from './fake-discord-events.js';
import { ERRORS, invalidForm } from './fake-discord-http.js';
import { snowflake } from './fake-discord-ids.js';
import type { RouteAnswer } from './fake-discord-http.js';
import type { Route, RouteContext } from './fake-discord-routes.js';
import { channelToApi, contentExempt, messageToApi, withoutContent } from './fake-discord-shapes.js';
import { isRefusal, readMessageBody } from './fake-discord-validate.js';
import type { DiscordWorld, FakeDiscordChannel, FakeDiscordMessage } from './fake-discord-world.js';
import { isThread } from './fake-discord-world.js';

/** What the REST routes share. */
export interface RestDeps {
  world: DiscordWorld;
  events: DiscordEvents;
  applicationId: string;
  /** The app's MessageContent toggle: REST reads of others' messages are blanked without it. */
  messageContent: boolean;
}

/** A route parameter (always present: the template names it). */
export const param = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';

const ARCHIVE_DURATIONS = new Set([60, 1440, 4320, 10080]);
const NONCE_WINDOW_MS = 5 * 60_000;

/** The message as a REST read returns it to this app. */
export function readable(deps: RestDeps, message: FakeDiscordMessage) {
  const api = messageToApi(deps.world, message);
  return deps.messageContent || contentExempt(deps.world, message) ? api : withoutContent(api);
}

function liveMessage(deps: RestDeps, ctx: RouteContext): FakeDiscordMessage | RouteAnswer {
  const channel = deps.world.channels.get(param(ctx, 'channelId'));
  if (channel === undefined) return ERRORS.unknownChannel();
  const message = deps.world.message(param(ctx, 'messageId'), channel.id);
  return message === undefined || message.deleted || message.ephemeral ? ERRORS.unknownMessage() : message;
}

const isAnswer = (value: unknown): value is RouteAnswer =>
  typeof value === 'object' &&
  value !== null &&
  'status' in value &&
  typeof (value as RouteAnswer).status === 'number';

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

function createMessage(deps: RestDeps, ctx: RouteContext): RouteAnswer {
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

function editMessage(deps: RestDeps, ctx: RouteContext): RouteAnswer {
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

function startThread(deps: RestDeps, ctx: RouteContext): RouteAnswer {
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

function listMessages(deps: RestDeps, ctx: RouteContext): RouteAnswer {
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

/** Channels, messages, threads, typing, reactions, DMs. */
export function channelRoutes(deps: RestDeps): Route[] {
  const { world } = deps;
  const noContent: RouteAnswer = { status: 204 };
  return [
    {
      method: 'GET',
      template: '/channels/:channelId',
      auth: 'bot',
      handle: (ctx) => {
        const channel = world.channels.get(param(ctx, 'channelId'));
        return channel === undefined
          ? ERRORS.unknownChannel()
          : { status: 200, body: channelToApi(world, channel) };
      },
    },
    {
      method: 'PATCH',
      template: '/channels/:channelId',
      auth: 'bot',
      handle: (ctx) => {
        const channel = world.channels.get(param(ctx, 'channelId'));
        if (channel === undefined) return ERRORS.unknownChannel();
        const body = (ctx.body ?? {}) as {
          name?: string;
          topic?: string | null;
          archived?: boolean;
          locked?: boolean;
        };
        if (body.name !== undefined) channel.name = body.name;
        if (body.topic !== undefined) channel.topic = body.topic;
        if (body.archived !== undefined) channel.archived = body.archived;
        if (body.locked !== undefined) channel.locked = body.locked;
        if (isThread(channel)) ctx.later(() => deps.events.thread('THREAD_UPDATE', channel));
        return { status: 200, body: channelToApi(world, channel) };
      },
    },
    {
      method: 'GET',
      template: '/channels/:channelId/messages',
      auth: 'bot',
      handle: (ctx) => listMessages(deps, ctx),
    },
    {
      method: 'POST',
      template: '/channels/:channelId/messages',
      auth: 'bot',
      handle: (ctx) => createMessage(deps, ctx),
    },
    {
      method: 'GET',
      template: '/channels/:channelId/messages/:messageId',
      auth: 'bot',
      handle: (ctx) => {
        const message = liveMessage(deps, ctx);
        return isAnswer(message) ? message : { status: 200, body: readable(deps, message) };
      },
    },
    {
      method: 'PATCH',
      template: '/channels/:channelId/messages/:messageId',
      auth: 'bot',
      handle: (ctx) => editMessage(deps, ctx),
    },
    {
      method: 'DELETE',
      template: '/channels/:channelId/messages/:messageId',
      auth: 'bot',
      handle: (ctx) => {
        const message = liveMessage(deps, ctx);
        if (isAnswer(message)) return message;
        message.deleted = true;
        message.deletedAt = Date.now();
        ctx.later(() => deps.events.messageDelete(message));
        return noContent;
      },
    },
    {
      method: 'POST',
      template: '/channels/:channelId/messages/:messageId/threads',
      auth: 'bot',
      handle: (ctx) => startThread(deps, ctx),
    },
    {
      method: 'POST',
      template: '/channels/:channelId/threads',
      auth: 'bot',
      handle: (ctx) => startThread(deps, ctx),
    },
    {
      method: 'POST',
      template: '/channels/:channelId/typing',
      auth: 'bot',
      handle: (ctx) => {
        const channel = world.channels.get(param(ctx, 'channelId'));
        if (channel === undefined) return ERRORS.unknownChannel();
        world.typing.push({ channelId: channel.id, at: Date.now() });
        return noContent;
      },
    },
    ...(['PUT', 'DELETE'] as const).map((method): Route => ({
      method,
      template: '/channels/:channelId/messages/:messageId/reactions/:emoji/@me',
      auth: 'bot',
      handle: (ctx) => {
        const message = liveMessage(deps, ctx);
        if (isAnswer(message)) return message;
        const emoji = param(ctx, 'emoji');
        message.reactions = message.reactions.filter((e) => e !== emoji);
        if (method === 'PUT') message.reactions.push(emoji);
        return noContent;
      },
    })),
    ...(['PUT', 'DELETE'] as const).map((method): Route => ({
      method,
      template: '/channels/:channelId/thread-members/@me',
      auth: 'bot',
      handle: (ctx) => {
        const channel = world.channels.get(param(ctx, 'channelId'));
        if (channel === undefined || !isThread(channel)) return ERRORS.unknownChannel();
        if (method === 'PUT') channel.memberIds.add(world.botUserId);
        else channel.memberIds.delete(world.botUserId);
        return noContent;
      },
    })),
    {
      method: 'POST',
      template: '/users/@me/channels',
      auth: 'bot',
      handle: (ctx) => {
        const recipient = (ctx.body as { recipient_id?: unknown } | undefined)?.recipient_id;
        if (typeof recipient !== 'string' || !world.users.has(recipient)) return ERRORS.unknownUser();
        return { status: 200, body: channelToApi(world, world.dmChannel(recipient)) };
      },
    },
  ];
}
