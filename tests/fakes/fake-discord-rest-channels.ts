import { ERRORS } from './fake-discord-http.js';
import type { RouteAnswer } from './fake-discord-http.js';
import { isAnswer, liveMessage, param, readable } from './fake-discord-rest-common.js';
import type { RestDeps } from './fake-discord-rest-common.js';
import { createMessage, editMessage, listMessages, startThread } from './fake-discord-rest-messages.js';
import type { Route } from './fake-discord-routes.js';
import { channelToApi } from './fake-discord-shapes.js';
import { isThread } from './fake-discord-world.js';

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
