import { MessageFlags } from 'discord.js';
import { ERRORS } from './fake-discord-http.js';
import type { RouteAnswer } from './fake-discord-http.js';
import type { FakeInteraction, InteractionStore } from './fake-discord-interactions.js';
import type { RestDeps } from './fake-discord-rest-common.js';
import { param } from './fake-discord-rest-common.js';
import type { Route, RouteContext } from './fake-discord-routes.js';
import { messageToApi } from './fake-discord-shapes.js';
import { isRefusal, readMessageBody } from './fake-discord-validate.js';
import type { FakeDiscordMessage } from './fake-discord-world.js';

/**
 * The interaction webhook: follow-ups (`POST /webhooks/:appId/:token`) and the response messages
 * (`GET/PATCH/DELETE /webhooks/:appId/:token/messages/@original|:id`). discord.js calls these
 * without an Authorization header: the token in the path is the credential, valid 15 minutes.
 */

/** How long an interaction token serves follow-ups (Discord: 15 minutes). */
export const TOKEN_TTL_MS = 15 * 60_000;

export function webhookRoutes(deps: RestDeps, store: InteractionStore): Route[] {
  const { world, events } = deps;

  const interactionOf = (ctx: RouteContext): FakeInteraction | RouteAnswer => {
    const interaction = store.all.find((i) => i.token === param(ctx, 'token'));
    if (interaction === undefined || param(ctx, 'appId') !== deps.applicationId)
      return ERRORS.unknownWebhook();
    if (Date.now() - interaction.dispatchedAt > TOKEN_TTL_MS) return ERRORS.invalidWebhookToken();
    // Follow-ups and edits need an acknowledged interaction.
    return interaction.callback === undefined ? ERRORS.unknownWebhook() : interaction;
  };

  const isAnswer = (value: FakeInteraction | FakeDiscordMessage | RouteAnswer): value is RouteAnswer =>
    'status' in value;

  const messageOf = (ctx: RouteContext, interaction: FakeInteraction): FakeDiscordMessage | RouteAnswer => {
    const id = param(ctx, 'messageId');
    const message =
      id === '@original'
        ? store.original(interaction)
        : interaction.followUpIds.includes(id) || interaction.originalMessageId === id
          ? world.message(id)
          : undefined;
    return message === undefined || message.deleted ? ERRORS.unknownMessage() : message;
  };

  const edit = (ctx: RouteContext, message: FakeDiscordMessage): RouteAnswer => {
    const fields = readMessageBody(world, ctx.body, ctx.files, 'edit', message.attachments);
    if (isRefusal(fields)) return fields;
    // Filling a deferred response ends its loading state; its ephemerality stays.
    const loading = (message.flags & MessageFlags.Loading) !== 0;
    const flags = loading ? message.flags & ~MessageFlags.Loading : fields.flags;
    world.editMessage(
      message,
      { ...fields, ...(flags !== undefined ? { flags } : {}) },
      fields.raw,
      'webhook',
    );
    ctx.later(() => events.messageUpdate(message));
    return { status: 200, body: messageToApi(world, message) };
  };

  const followUp = (ctx: RouteContext): RouteAnswer => {
    const interaction = interactionOf(ctx);
    if (isAnswer(interaction)) return interaction;
    const original = store.original(interaction);
    // After a deferred reply (type 5), the first follow-up replaces the "thinking..." message.
    if (original !== undefined && (original.flags & MessageFlags.Loading) !== 0) {
      const answer = edit(ctx, original);
      return ctx.query.get('wait') === 'true' || answer.status !== 200 ? answer : { status: 204 };
    }
    const fields = readMessageBody(world, ctx.body, ctx.files, 'create');
    if (isRefusal(fields)) return fields;
    const threadId = ctx.query.get('thread_id');
    const message = store.respond(interaction, {
      channelId: threadId ?? interaction.channelId,
      ...(fields.content !== undefined ? { content: fields.content } : {}),
      ...(fields.embeds !== undefined ? { embeds: fields.embeds } : {}),
      ...(fields.components !== undefined ? { components: fields.components } : {}),
      ...(fields.attachments !== undefined ? { attachments: fields.attachments } : {}),
      flags: fields.flags ?? 0,
    });
    interaction.followUpIds.push(message.id);
    ctx.later(() => events.messageCreate(message));
    return ctx.query.get('wait') === 'true'
      ? { status: 200, body: messageToApi(world, message) }
      : { status: 204 };
  };

  const onMessage =
    (action: 'get' | 'edit' | 'delete') =>
    (ctx: RouteContext): RouteAnswer => {
      const interaction = interactionOf(ctx);
      if (isAnswer(interaction)) return interaction;
      const message = messageOf(ctx, interaction);
      if (isAnswer(message)) return message;
      if (action === 'get') return { status: 200, body: messageToApi(world, message) };
      if (action === 'edit') return edit(ctx, message);
      message.deleted = true;
      message.deletedAt = Date.now();
      ctx.later(() => events.messageDelete(message));
      return { status: 204 };
    };

  const template = '/webhooks/:appId/:token/messages/:messageId';
  return [
    { method: 'POST', template: '/webhooks/:appId/:token', auth: 'none', handle: followUp },
    { method: 'GET', template, auth: 'none', handle: onMessage('get') },
    { method: 'PATCH', template, auth: 'none', handle: onMessage('edit') },
    { method: 'DELETE', template, auth: 'none', handle: onMessage('delete') },
  ];
}
