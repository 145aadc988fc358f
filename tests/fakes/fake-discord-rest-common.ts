import { ERRORS } from './fake-discord-http.js';
import type { RouteAnswer } from './fake-discord-http.js';
import type { DiscordEvents } from './fake-discord-events.js';
import type { RouteContext } from './fake-discord-routes.js';
import { contentExempt, withoutContent } from './fake-discord-intents.js';
import { messageToApi } from './fake-discord-shapes.js';
import type { DiscordWorld, FakeDiscordMessage } from './fake-discord-world.js';

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

/** The message as a REST read returns it to this app. */
export function readable(deps: RestDeps, message: FakeDiscordMessage) {
  const api = messageToApi(deps.world, message);
  return deps.messageContent || contentExempt(deps.world, message) ? api : withoutContent(api);
}

/** The message a route's `:channelId/:messageId` name, or Discord's 404 (deleted and ephemeral ones are gone). */
export function liveMessage(deps: RestDeps, ctx: RouteContext): FakeDiscordMessage | RouteAnswer {
  const channel = deps.world.channels.get(param(ctx, 'channelId'));
  if (channel === undefined) return ERRORS.unknownChannel();
  const message = deps.world.message(param(ctx, 'messageId'), channel.id);
  return message === undefined || message.deleted || message.ephemeral ? ERRORS.unknownMessage() : message;
}

/** Whether a lookup produced an error answer instead of the object. */
export const isAnswer = (value: unknown): value is RouteAnswer =>
  typeof value === 'object' &&
  value !== null &&
  'status' in value &&
  typeof (value as RouteAnswer).status === 'number';
