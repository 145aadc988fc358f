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

/**
 * Returns why a user may not use the bot here, or `undefined` when they may. Direct messages are
 * not channels, so the channel list does not apply to them.
 */
export function accessDenied(
  access: AccessLists,
  who: {
    team: string | undefined;
    channel: string;
    user: string;
    isDm: boolean;
    guild?: string;
    roles?: readonly string[];
  },
): string | undefined {
  // Workspaces are Slack's; a Discord caller names a guild instead.
  if (
    who.guild === undefined &&
    access.workspaces.length > 0 &&
    (!who.team || !access.workspaces.includes(who.team))
  ) {
    return 'this workspace is not allowed to use the intern';
  }
  if (!who.isDm && (access.guilds?.length ?? 0) > 0 && (!who.guild || !access.guilds!.includes(who.guild))) {
    return 'this server is not allowed to use the intern';
  }
  if (!who.isDm && access.channels.length > 0 && !access.channels.includes(who.channel)) {
    return 'the intern is not enabled in this channel';
  }
  if (access.users.length > 0 && !access.users.includes(who.user))
    return 'you are not on the list of people who may use the intern';
  if (
    who.roles !== undefined &&
    (access.roles?.length ?? 0) > 0 &&
    !who.roles.some((r) => access.roles!.includes(r))
  ) {
    return 'you do not have a role that may use the intern';
  }
  return undefined;
}

/** Who may decide on approvals: config `approval.approvers` plus, always, the session's owner. */
export function mayApprove(approvers: Approvers, owner: string, user: string): boolean {
  if (user === owner || approvers === 'channel') return true;
  return Array.isArray(approvers) && approvers.includes(user);
}
