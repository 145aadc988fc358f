import type { APIInteraction } from 'discord.js';
import { InteractionResponseType, InteractionType, MessageFlags, MessageType } from 'discord.js';
import { ERRORS, invalidForm } from './fake-discord-http.js';
import type { RouteAnswer } from './fake-discord-http.js';
import type { RestDeps } from './fake-discord-rest-common.js';
import { param } from './fake-discord-rest-common.js';
import type { Route, RouteContext } from './fake-discord-routes.js';
import { messageToApi } from './fake-discord-shapes.js';
import { isRefusal, readMessageBody } from './fake-discord-validate.js';
import type { FakeDiscordMessage, NewMessage } from './fake-discord-world.js';

/** An accepted `POST /interactions/:id/:token/callback`. */
export interface FakeInteractionCallback {
  interactionId: string;
  type: InteractionResponseType;
  /** The callback's `data` as sent (message fields, modal, autocomplete choices). */
  data: Record<string, unknown> | undefined;
  flags: number;
  ephemeral: boolean;
  at: number;
  /** Milliseconds between the INTERACTION_CREATE and this callback (Discord allows 3 s). */
  latencyMs: number;
}

/** An interaction the fake dispatched, and everything the app answered to it. */
export interface FakeInteraction {
  id: string;
  token: string;
  type: InteractionType;
  userId: string;
  channelId: string;
  guildId: string | undefined;
  /** Components: the message clicked; modal submits opened from a component: that message. */
  messageId: string | undefined;
  customId: string | undefined;
  commandName: string | undefined;
  payload: APIInteraction;
  dispatchedAt: number;
  callback: FakeInteractionCallback | undefined;
  /** Callbacks Discord refused: late (> 3 s), duplicate, or of a type this interaction cannot take. */
  refusedCallbacks: Array<{ type: unknown; status: number; at: number }>;
  /** The `@original` response message (types 4 and 5), if any. */
  originalMessageId: string | undefined;
  followUpIds: string[];
  /** The modal shown (a type 9 callback's data). */
  modal: Record<string, unknown> | undefined;
}

/** Which callback types each interaction type takes. */
function allowedTypes(interaction: FakeInteraction): InteractionResponseType[] {
  const R = InteractionResponseType;
  switch (interaction.type) {
    case InteractionType.Ping:
      return [R.Pong];
    case InteractionType.ApplicationCommand:
      return [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.Modal, R.LaunchActivity];
    case InteractionType.MessageComponent:
      return [
        R.ChannelMessageWithSource,
        R.DeferredChannelMessageWithSource,
        R.DeferredMessageUpdate,
        R.UpdateMessage,
        R.Modal,
      ];
    case InteractionType.ApplicationCommandAutocomplete:
      return [R.ApplicationCommandAutocompleteResult];
    case InteractionType.ModalSubmit:
      return interaction.messageId !== undefined
        ? [
            R.ChannelMessageWithSource,
            R.DeferredChannelMessageWithSource,
            R.DeferredMessageUpdate,
            R.UpdateMessage,
          ]
        : [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource];
  }
}

/** The interactions the fake dispatched, their callbacks, and the callback route. */
export class InteractionStore {
  readonly all: FakeInteraction[] = [];
  readonly callbacks: FakeInteractionCallback[] = [];
  private waiters: Array<{ id: string; resolve: (c: FakeInteractionCallback) => void }> = [];

  constructor(
    private readonly deps: RestDeps,
    /** How long an interaction may wait for its callback (Discord: 3 s). */
    readonly ackTimeoutMs: number,
  ) {}

  /** Records an interaction about to be dispatched. */
  register(
    payload: APIInteraction,
    extra: { messageId?: string; customId?: string; commandName?: string },
  ): FakeInteraction {
    const userId = payload.member?.user.id ?? payload.user?.id ?? '';
    const interaction: FakeInteraction = {
      id: payload.id,
      token: payload.token,
      type: payload.type,
      userId,
      channelId: payload.channel?.id ?? '',
      guildId: payload.guild_id,
      messageId: extra.messageId,
      customId: extra.customId,
      commandName: extra.commandName,
      payload,
      dispatchedAt: Date.now(),
      callback: undefined,
      refusedCallbacks: [],
      originalMessageId: undefined,
      followUpIds: [],
      modal: undefined,
    };
    this.all.push(interaction);
    return interaction;
  }

  get(id: string): FakeInteraction | undefined {
    return this.all.find((i) => i.id === id);
  }

  /** The accepted callback of an interaction, now or once it arrives. */
  waitForCallback(id: string, timeoutMs = 5000): Promise<FakeInteractionCallback> {
    const done = this.get(id)?.callback;
    if (done !== undefined) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`fake-discord: no callback for interaction ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        id,
        resolve: (c: FakeInteractionCallback) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The message an interaction's `@original` names: its response, or the component's message. */
  original(interaction: FakeInteraction): FakeDiscordMessage | undefined {
    const id =
      interaction.originalMessageId ??
      (interaction.callback !== undefined ? interaction.messageId : undefined);
    return id === undefined ? undefined : this.deps.world.message(id);
  }

  /** A response message (type 4 or 5, or a follow-up) in the interaction's channel. */
  respond(interaction: FakeInteraction, fields: Omit<NewMessage, 'authorId'>): FakeDiscordMessage {
    const message = this.deps.world.addMessage({
      ...fields,
      authorId: this.deps.world.botUserId,
      webhookId: this.deps.applicationId,
      applicationId: this.deps.applicationId,
      type:
        interaction.type === InteractionType.ApplicationCommand
          ? MessageType.ChatInputCommand
          : MessageType.Default,
      interaction: {
        id: interaction.id,
        type: interaction.type,
        userId: interaction.userId,
        ...(interaction.commandName !== undefined ? { name: interaction.commandName } : {}),
      },
    });
    return message;
  }

  private callback(ctx: RouteContext): RouteAnswer {
    const { world, events } = this.deps;
    const interaction = this.get(param(ctx, 'interactionId'));
    if (interaction === undefined || interaction.token !== param(ctx, 'token'))
      return ERRORS.unknownInteraction();
    const body = (ctx.body ?? {}) as { type?: unknown; data?: Record<string, unknown> };
    const refuse = (answer: RouteAnswer): RouteAnswer => {
      interaction.refusedCallbacks.push({ type: body.type, status: answer.status, at: Date.now() });
      return answer;
    };
    if (interaction.callback !== undefined) return refuse(ERRORS.alreadyAcknowledged());
    const latencyMs = Date.now() - interaction.dispatchedAt;
    if (latencyMs > this.ackTimeoutMs) return refuse(ERRORS.unknownInteraction());
    const type = body.type as InteractionResponseType;
    if (!allowedTypes(interaction).includes(type)) {
      return refuse(
        invalidForm(
          'type',
          'INTERACTION_RESPONSE_TYPE_INVALID',
          'Interaction response type is invalid for this interaction',
        ),
      );
    }
    const data = body.data;
    const flags = typeof data?.flags === 'number' ? data.flags : 0;
    const ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
    let message: FakeDiscordMessage | undefined;
    if (type === InteractionResponseType.ChannelMessageWithSource) {
      const fields = readMessageBody(world, data, ctx.files, 'create');
      if (isRefusal(fields)) return refuse(fields);
      message = this.respond(interaction, {
        channelId: interaction.channelId,
        ...(fields.content !== undefined ? { content: fields.content } : {}),
        ...(fields.embeds !== undefined ? { embeds: fields.embeds } : {}),
        ...(fields.components !== undefined ? { components: fields.components } : {}),
        ...(fields.attachments !== undefined ? { attachments: fields.attachments } : {}),
        flags,
      });
    } else if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
      // "<bot> is thinking...": an empty loading message that an edit or the first follow-up fills.
      message = this.respond(interaction, {
        channelId: interaction.channelId,
        flags: (flags & MessageFlags.Ephemeral) | MessageFlags.Loading,
      });
    } else if (type === InteractionResponseType.UpdateMessage) {
      const target = interaction.messageId === undefined ? undefined : world.message(interaction.messageId);
      if (target === undefined) return refuse(ERRORS.unknownMessage());
      const fields = readMessageBody(world, data, ctx.files, 'edit', target.attachments);
      if (isRefusal(fields)) return refuse(fields);
      world.editMessage(target, fields, fields.raw, 'interaction');
      ctx.later(() => events.messageUpdate(target));
    } else if (type === InteractionResponseType.Modal) {
      const title = typeof data?.title === 'string' ? data.title : '';
      const customId = typeof data?.custom_id === 'string' ? data.custom_id : '';
      const components = Array.isArray(data?.components) ? data.components : [];
      if (title.length < 1 || title.length > 45)
        return refuse(
          invalidForm('data.title', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.'),
        );
      if (customId.length < 1 || customId.length > 100) {
        return refuse(
          invalidForm('data.custom_id', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'),
        );
      }
      if (components.length < 1 || components.length > 5) {
        return refuse(
          invalidForm('data.components', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.'),
        );
      }
      interaction.modal = data;
    }
    if (message !== undefined) {
      interaction.originalMessageId = message.id;
      const created = message;
      ctx.later(() => events.messageCreate(created));
    }
    const callback: FakeInteractionCallback = {
      interactionId: interaction.id,
      type,
      data,
      flags,
      ephemeral,
      at: Date.now(),
      latencyMs,
    };
    interaction.callback = callback;
    this.callbacks.push(callback);
    this.waiters = this.waiters.filter((w) =>
      w.id === interaction.id ? (w.resolve(callback), false) : true,
    );
    if (ctx.query.get('with_response') !== 'true') return { status: 204 };
    // `with_response=true`: an InteractionCallbackResponse (discord.js' `withResponse` option).
    return {
      status: 200,
      body: {
        interaction: {
          id: interaction.id,
          type: interaction.type,
          ...(message !== undefined
            ? {
                response_message_id: message.id,
                response_message_loading: (message.flags & MessageFlags.Loading) !== 0,
                response_message_ephemeral: message.ephemeral,
              }
            : {}),
        },
        resource: { type, ...(message !== undefined ? { message: messageToApi(world, message) } : {}) },
      },
    };
  }

  routes(): Route[] {
    return [
      {
        method: 'POST',
        template: '/interactions/:interactionId/:token/callback',
        auth: 'none',
        handle: (ctx) => this.callback(ctx),
      },
    ];
  }
}
