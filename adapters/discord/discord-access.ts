import { accessDenied, DM_MEMBERS_ONLY, type AccessSubject } from '../shared/access-policy.js';
import type { DiscordContext } from './discord-context.js';

/** Who asks on Discord, and where (`guild` undefined in a DM). */
export interface DiscordSubject {
  user: string;
  channel: string;
  isDm: boolean;
  guild: string | undefined;
  /** The member's roles where the message came from (none in a DM). */
  roles: readonly string[];
}

/** What to tell a refused user (one short sentence), and why, for the log. */
export interface Refusal {
  reply: string;
  reason: string;
}

const TRY_AGAIN = 'Sorry, I could not check your server membership just now. Please try again in a minute.';

/**
 * The access rule on Discord, DMs included: a DM that needs proof of membership in an allowed
 * server (see `dmNeedsMembership`) gets it over REST, through the cached {@link DiscordContext.members}.
 * A lookup that fails refuses with "try again" and logs the reason: it never lets the user through.
 */
export async function discordRefusal(ctx: DiscordContext, who: DiscordSubject): Promise<Refusal | undefined> {
  const subject: AccessSubject = { ...who, team: undefined, platform: 'discord' };
  const denied = accessDenied(ctx.access, subject);
  if (denied === undefined) return undefined;
  if (denied !== DM_MEMBERS_ONLY) return refused(denied);
  const found = await membership(ctx, who.user);
  if (found === 'unavailable') return { reply: TRY_AGAIN, reason: 'membership check failed' };
  const again = accessDenied(ctx.access, { ...subject, ...found });
  return again === undefined ? undefined : refused(again);
}

function refused(reason: string): Refusal {
  return { reply: `Sorry, ${reason}. Ask an admin of the bot to add you.`, reason };
}

/**
 * The allowed server the user is a member of (one where they hold an allowed role, when roles are
 * required), `{}` when none, or `unavailable` when a lookup failed and none qualified.
 */
async function membership(
  ctx: DiscordContext,
  user: string,
): Promise<{ guild?: string; roles?: readonly string[] } | 'unavailable'> {
  const allowedRoles = ctx.access.roles ?? [];
  // With only roles configured, any server the bot is in may hold them.
  const guilds = ctx.access.guilds?.length ? ctx.access.guilds : [...ctx.client.guilds.cache.keys()];
  let member: { guild: string; roles: readonly string[] } | undefined;
  let failed = false;
  for (const guild of guilds) {
    try {
      const roles = await ctx.members.roles(guild, user);
      if (roles === null) continue;
      if (allowedRoles.length === 0 || roles.some((r) => allowedRoles.includes(r))) return { guild, roles };
      member ??= { guild, roles };
    } catch (err) {
      failed = true;
      ctx.logger.warn({ err, guild, user }, 'discord membership check failed');
    }
  }
  if (failed) return 'unavailable';
  return member ?? {};
}
