import type { Approvers } from './adapter-context.js';

/** Allow-lists from config `access`; an empty list allows everyone. */
export interface AccessLists {
  workspaces: readonly string[];
  channels: readonly string[];
  users: readonly string[];
  /** Discord guilds (the workspace list applies to Slack teams). */
  guilds?: readonly string[];
  /** Discord roles: a member needs one of them. */
  roles?: readonly string[];
}

/** Who asks, and where. */
export interface AccessSubject {
  team: string | undefined;
  channel: string;
  user: string;
  isDm: boolean;
  /**
   * Discord: the guild the message came from. For a DM, the allowed guild the user was found to be
   * a member of (over REST), undefined when they are not a member of one.
   */
  guild?: string;
  /** Discord: the member's role ids in `guild`. */
  roles?: readonly string[];
  /**
   * `discord` for Discord callers (a DM has no guild to tell): Slack's workspace list never applies
   * to them, and Discord's guild and role lists never apply to Slack.
   */
  platform?: string;
}

/**
 * The reason {@link accessDenied} gives for a Discord DM whose sender still has to be shown to be a
 * member of an allowed server. A caller that can look the membership up does so and asks again.
 */
export const DM_MEMBERS_ONLY = 'direct messages are open only to members of the servers the intern works in';

/**
 * Whether a Discord DM needs proof of membership in an allowed server. A DM carries no guild, so
 * with `access.guilds` or `access.roles` set a stranger could otherwise DM the bot and spend money.
 * A user the operator named in `access.users` needs none, unless roles are required too.
 */
export function dmNeedsMembership(access: AccessLists, user: string): boolean {
  const guarded = (access.guilds?.length ?? 0) > 0 || (access.roles?.length ?? 0) > 0;
  if (!guarded) return false;
  const named = access.users.length > 0 && access.users.includes(user);
  return !named || (access.roles?.length ?? 0) > 0;
}

/**
 * Returns why a user may not use the bot here, or `undefined` when they may. Direct messages are
 * not channels, so the channel list does not apply to them; a Discord DM that needs membership
 * ({@link dmNeedsMembership}) is refused with {@link DM_MEMBERS_ONLY} until `guild` names the
 * allowed server the user is a member of.
 */
export function accessDenied(access: AccessLists, who: AccessSubject): string | undefined {
  // Workspaces are Slack's; guilds and roles are Discord's (a mixed deployment sets both).
  const discord = who.platform === 'discord' || who.guild !== undefined;
  if (!discord && access.workspaces.length > 0 && (!who.team || !access.workspaces.includes(who.team))) {
    return 'this workspace is not allowed to use the intern';
  }
  const guilds = discord ? (access.guilds ?? []) : [];
  const roles = discord ? (access.roles ?? []) : [];
  if (!who.isDm && guilds.length > 0 && (!who.guild || !guilds.includes(who.guild))) {
    return 'this server is not allowed to use the intern';
  }
  if (!who.isDm && access.channels.length > 0 && !access.channels.includes(who.channel)) {
    return 'the intern is not enabled in this channel';
  }
  if (access.users.length > 0 && !access.users.includes(who.user))
    return 'you are not on the list of people who may use the intern';
  const dmMember = discord && who.isDm && dmNeedsMembership(access, who.user);
  if (dmMember && (!who.guild || (guilds.length > 0 && !guilds.includes(who.guild)))) return DM_MEMBERS_ONLY;
  // A Discord DM without a membership lookup has no roles to show: treat them as none.
  const held = who.roles ?? (discord && who.isDm ? [] : undefined);
  if (held !== undefined && roles.length > 0 && !held.some((r) => roles.includes(r))) {
    return 'you do not have a role that may use the intern';
  }
  return undefined;
}

/** Who may decide on approvals: config `approval.approvers` plus, always, the session's owner. */
export function mayApprove(approvers: Approvers, owner: string, user: string): boolean {
  if (user === owner || approvers === 'channel') return true;
  return Array.isArray(approvers) && approvers.includes(user);
}
