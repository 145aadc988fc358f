import type { APIGuildMember, APIRole, APIUser, GuildMemberFlags, RoleFlags, UserFlags } from 'discord.js';
import type { FakeDiscordRole, FakeDiscordUser } from './fake-discord-ids.js';
import type { DiscordWorld } from './fake-discord-world.js';

/** Users, roles and guild members in Discord's wire shapes. */

/** When every member (and the bot) joined: a fixed past date. */
export const MEMBERS_JOINED_AT = '2023-11-14T22:13:20.000Z';

export function userToApi(user: FakeDiscordUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName ?? null,
    avatar: null,
    ...(user.bot === true ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

/** A user by id; unknown ids get a placeholder (a test may name users the world never declared). */
export function userById(world: DiscordWorld, id: string): APIUser {
  return userToApi(world.users.get(id) ?? { id, username: `user-${id.slice(-4)}` });
}

export function roleToApi(role: FakeDiscordRole): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: role.color ?? 0,
    colors: { primary_color: role.color ?? 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position ?? 0,
    permissions: String(role.permissions ?? 0n),
    managed: role.botId !== undefined,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(role.botId !== undefined ? { tags: { bot_id: role.botId } } : {}),
  };
}

/** A guild member (with `user`), or undefined when the user is not in the guild. */
export function memberToApi(
  world: DiscordWorld,
  guildId: string,
  userId: string,
): APIGuildMember | undefined {
  const spec = world.guilds.get(guildId)?.members.find((m) => m.userId === userId);
  if (spec === undefined) return undefined;
  return {
    user: userById(world, userId),
    nick: spec.nick ?? null,
    avatar: null,
    banner: null,
    roles: spec.roles ?? [],
    joined_at: MEMBERS_JOINED_AT,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A member's permission bits: the union of `@everyone`'s and its roles' (no overwrites modelled). */
export function memberPermissions(world: DiscordWorld, guildId: string, userId: string): string {
  const guild = world.guilds.get(guildId);
  if (guild === undefined) return '0';
  if (guild.ownerId === userId) return String((1n << 53n) - 1n);
  const held = new Set([guildId, ...(world.memberRoles(guildId, userId) ?? [])]);
  let bits = 0n;
  for (const role of guild.roles) if (held.has(role.id)) bits |= BigInt(role.permissions ?? 0n);
  return String(bits);
}
