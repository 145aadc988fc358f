import type { APIApplicationCommand } from 'discord.js';
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { ERRORS, invalidForm } from './fake-discord-http.js';
import type { RouteAnswer } from './fake-discord-http.js';
import { snowflake } from './fake-discord-ids.js';
import type { RestDeps } from './fake-discord-rest-common.js';
import { param } from './fake-discord-rest-common.js';
import type { Route, RouteContext } from './fake-discord-routes.js';
import { memberToApi, roleToApi, userById } from './fake-discord-people.js';
import { channelToApi, guildToApi } from './fake-discord-shapes.js';
import { isThread } from './fake-discord-world.js';

/** The gateway URL, the bot's user and application, guilds, and application commands. */

export interface AppDeps extends RestDeps {
  gatewayUrl: string;
  applicationName: string;
  /** The application's `flags` (privileged-intent toggles among them). */
  applicationFlags: number;
  /** How many sessions were started (`session_start_limit.remaining` counts down). */
  sessionsStarted: () => number;
}

/** Discord's command name rule: 1–32 of letters, digits, `-_'` (lowercase for slash commands). */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
type RawCommand = Record<string, unknown>;
const typeOf = (raw: RawCommand): ApplicationCommandType =>
  typeof raw.type === 'number' ? raw.type : ApplicationCommandType.ChatInput;

/** Checks one command (or its options, recursively) the way Discord validates registrations. */
function checkCommand(raw: RawCommand, at: string, type: ApplicationCommandType): RouteAnswer | undefined {
  const name = typeof raw.name === 'string' ? raw.name : '';
  const slash = type === ApplicationCommandType.ChatInput;
  if (!NAME.test(name) || (slash && name !== name.toLowerCase())) {
    return invalidForm(`${at}name`, 'APPLICATION_COMMAND_INVALID_NAME', `Command name is invalid`);
  }
  const description = typeof raw.description === 'string' ? raw.description : '';
  if (slash && (description.length < 1 || description.length > 100)) {
    return invalidForm(`${at}description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  const options = Array.isArray(raw.options) ? (raw.options as RawCommand[]) : [];
  if (options.length > 25)
    return invalidForm(`${at}options`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  for (const [i, option] of options.entries()) {
    const error = checkCommand(option, `${at}options.${i}.`, ApplicationCommandType.ChatInput);
    if (error !== undefined) return error;
    if (option.type === undefined || !(Number(option.type) in ApplicationCommandOptionType)) {
      return invalidForm(
        `${at}options.${i}.type`,
        'BASE_TYPE_CHOICES',
        'Value must be one of ApplicationCommandOptionType.',
      );
    }
  }
  return undefined;
}

export function appRoutes(deps: AppDeps): Route[] {
  const { world } = deps;
  const botUser = () => ({
    ...userById(world, world.botUserId),
    verified: true,
    mfa_enabled: false,
    email: null,
  });
  const application = () => ({
    id: deps.applicationId,
    name: deps.applicationName,
    icon: null,
    description: '',
    summary: '',
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: deps.applicationFlags,
    team: null,
    owner: userById(world, [...world.guilds.values()][0]?.ownerId ?? world.botUserId),
    bot: userById(world, world.botUserId),
    approximate_guild_count: world.guilds.size,
    interactions_endpoint_url: null,
    redirect_uris: [],
    tags: [],
    integration_types_config: {
      0: { oauth2_install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' } },
    },
  });

  const commandsOf = (ctx: RouteContext): APIApplicationCommand[] | RouteAnswer => {
    if (param(ctx, 'appId') !== deps.applicationId) return ERRORS.missingAccess();
    const guildId = ctx.params.guildId;
    if (guildId !== undefined && !world.guilds.has(guildId)) return ERRORS.missingAccess();
    return world.commands.filter((c) => c.guild_id === guildId);
  };

  /** Builds a stored command; a command keeps its id when re-registered under the same name and type. */
  const build = (raw: RawCommand, guildId: string | undefined): APIApplicationCommand => {
    const type = typeOf(raw);
    const name = String(raw.name);
    const previous = world.commands.find((c) => c.name === name && c.type === type && c.guild_id === guildId);
    return {
      id: previous?.id ?? snowflake(),
      application_id: deps.applicationId,
      version: snowflake(),
      type,
      name,
      name_localizations: null,
      description: typeof raw.description === 'string' ? raw.description : '',
      description_localizations: null,
      ...(Array.isArray(raw.options) ? { options: raw.options as APIApplicationCommand['options'] } : {}),
      default_member_permissions:
        typeof raw.default_member_permissions === 'string' ? raw.default_member_permissions : null,
      nsfw: raw.nsfw === true,
      integration_types: [0],
      contexts: null,
      ...(guildId !== undefined ? { guild_id: guildId } : { dm_permission: raw.dm_permission !== false }),
    };
  };

  const replaceAll = (ctx: RouteContext): RouteAnswer => {
    const existing = commandsOf(ctx);
    if (!Array.isArray(existing)) return existing;
    const raws = Array.isArray(ctx.body) ? (ctx.body as RawCommand[]) : [];
    if (raws.length > 100) return invalidForm('_', 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    const seen = new Set<string>();
    for (const [i, raw] of raws.entries()) {
      const type = typeOf(raw);
      const error = checkCommand(raw, `${i}.`, type);
      if (error !== undefined) return error;
      if (seen.has(`${type}:${String(raw.name)}`))
        return invalidForm(
          `${i}.name`,
          'APPLICATION_COMMANDS_DUPLICATE_NAME',
          'Application command names must be unique',
        );
      seen.add(`${type}:${String(raw.name)}`);
    }
    const guildId = ctx.params.guildId;
    const built = raws.map((raw) => build(raw, guildId));
    const others = world.commands.filter((c) => c.guild_id !== guildId);
    world.commands.splice(0, world.commands.length, ...others, ...built);
    return { status: 200, body: built };
  };

  const upsertOne = (ctx: RouteContext): RouteAnswer => {
    const existing = commandsOf(ctx);
    if (!Array.isArray(existing)) return existing;
    const raw = (ctx.body ?? {}) as RawCommand;
    const error = checkCommand(raw, '', typeOf(raw));
    if (error !== undefined) return error;
    const command = build(raw, ctx.params.guildId);
    const index = world.commands.findIndex((c) => c.id === command.id);
    if (index >= 0) world.commands[index] = command;
    else world.commands.push(command);
    return { status: index >= 0 ? 200 : 201, body: command };
  };

  const oneCommand =
    (action: 'get' | 'delete') =>
    (ctx: RouteContext): RouteAnswer => {
      const existing = commandsOf(ctx);
      if (!Array.isArray(existing)) return existing;
      const command = existing.find((c) => c.id === param(ctx, 'commandId'));
      if (command === undefined) return ERRORS.unknownCommand();
      if (action === 'get') return { status: 200, body: command };
      world.commands.splice(world.commands.indexOf(command), 1);
      return { status: 204 };
    };

  const commandRoutes = (base: string): Route[] => [
    {
      method: 'GET',
      template: base,
      auth: 'bot',
      handle: (ctx) => {
        const list = commandsOf(ctx);
        return Array.isArray(list) ? { status: 200, body: list } : list;
      },
    },
    { method: 'PUT', template: base, auth: 'bot', handle: replaceAll },
    { method: 'POST', template: base, auth: 'bot', handle: upsertOne },
    { method: 'GET', template: `${base}/:commandId`, auth: 'bot', handle: oneCommand('get') },
    { method: 'PATCH', template: `${base}/:commandId`, auth: 'bot', handle: upsertOne },
    { method: 'DELETE', template: `${base}/:commandId`, auth: 'bot', handle: oneCommand('delete') },
  ];

  const guildRoute = (
    template: string,
    answer: (ctx: RouteContext, guildId: string) => RouteAnswer,
  ): Route => ({
    method: 'GET',
    template,
    auth: 'bot',
    handle: (ctx) =>
      world.guilds.has(param(ctx, 'guildId')) ? answer(ctx, param(ctx, 'guildId')) : ERRORS.unknownGuild(),
  });

  return [
    {
      method: 'GET',
      template: '/gateway/bot',
      auth: 'bot',
      handle: () => ({
        status: 200,
        body: {
          url: deps.gatewayUrl,
          shards: 1,
          session_start_limit: {
            total: 1000,
            remaining: Math.max(0, 1000 - deps.sessionsStarted()),
            reset_after: 14_400_000,
            max_concurrency: 1,
          },
        },
      }),
    },
    {
      method: 'GET',
      template: '/gateway',
      auth: 'none',
      handle: () => ({ status: 200, body: { url: deps.gatewayUrl } }),
    },
    { method: 'GET', template: '/users/@me', auth: 'bot', handle: () => ({ status: 200, body: botUser() }) },
    {
      method: 'GET',
      template: '/users/:userId',
      auth: 'bot',
      handle: (ctx) =>
        world.users.has(param(ctx, 'userId'))
          ? { status: 200, body: userById(world, param(ctx, 'userId')) }
          : ERRORS.unknownUser(),
    },
    {
      method: 'GET',
      template: '/applications/@me',
      auth: 'bot',
      handle: () => ({ status: 200, body: application() }),
    },
    {
      method: 'GET',
      template: '/oauth2/applications/@me',
      auth: 'bot',
      handle: () => ({ status: 200, body: application() }),
    },
    ...commandRoutes('/applications/:appId/commands'),
    ...commandRoutes('/applications/:appId/guilds/:guildId/commands'),
    guildRoute('/guilds/:guildId', (_ctx, id) => ({ status: 200, body: guildToApi(world, id) })),
    guildRoute('/guilds/:guildId/channels', (_ctx, id) => ({
      status: 200,
      body: [...world.channels.values()]
        .filter((c) => c.guildId === id && !isThread(c))
        .map((c) => channelToApi(world, c)),
    })),
    guildRoute('/guilds/:guildId/roles', (_ctx, id) => ({
      status: 200,
      body: world.guilds.get(id)?.roles.map(roleToApi),
    })),
    guildRoute('/guilds/:guildId/members/:userId', (ctx, id) => {
      const member = memberToApi(world, id, param(ctx, 'userId'));
      return member === undefined ? ERRORS.unknownMember() : { status: 200, body: member };
    }),
  ];
}
