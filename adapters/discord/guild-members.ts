import { DiscordAPIError, Routes, type APIGuildMember, type REST } from 'discord.js';

/** A user's role ids in a guild, or `null` when they are not a member of it. */
export type MemberRoles = readonly string[] | null;

/** How long a membership answer is trusted: long enough that a chatty DM costs one REST call. */
export const MEMBER_TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Guild membership over REST (`GET /guilds/{guild}/members/{user}`), which needs no privileged
 * intent, with answers cached for a TTL and concurrent lookups of one pair shared. A 404 (Unknown
 * Member, or Unknown Guild when the bot is not in it) means "not a member"; any other failure is
 * thrown and not cached, so the next message asks again.
 */
export class GuildMembers {
  private readonly cache = new Map<string, { at: number; roles: Promise<MemberRoles> }>();

  constructor(
    private readonly lookup: (guildId: string, userId: string) => Promise<MemberRoles>,
    private readonly ttlMs: number = MEMBER_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Looks members up with the client's REST manager. */
  static overRest(rest: REST, ttlMs?: number): GuildMembers {
    return new GuildMembers((guildId, userId) => fetchMemberRoles(rest, guildId, userId), ttlMs);
  }

  roles(guildId: string, userId: string): Promise<MemberRoles> {
    const key = `${guildId}:${userId}`;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.roles;
    const roles = this.lookup(guildId, userId);
    this.cache.delete(key); // re-inserted last: the map's order is oldest first
    this.cache.set(key, { at: this.now(), roles });
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value ?? key);
    roles.catch(() => {
      if (this.cache.get(key)?.roles === roles) this.cache.delete(key);
    });
    return roles;
  }
}

async function fetchMemberRoles(rest: REST, guildId: string, userId: string): Promise<MemberRoles> {
  try {
    const member = (await rest.get(Routes.guildMember(guildId, userId))) as APIGuildMember;
    return member.roles;
  } catch (err) {
    if (err instanceof DiscordAPIError && err.status === 404) return null;
    throw err;
  }
}
