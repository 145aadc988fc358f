import { describe, expect, it } from 'vitest';
import {
  accessDenied,
  DM_MEMBERS_ONLY,
  dmNeedsMembership,
  type AccessLists,
} from '../../adapters/shared/access-policy.js';
import { GuildMembers, type MemberRoles } from '../../adapters/discord/guild-members.js';

const none: AccessLists = { workspaces: [], channels: [], users: [], guilds: [], roles: [] };
const dm = { team: undefined, channel: 'D1', user: 'U1', isDm: true, platform: 'discord' };

describe('Discord DMs and the allow-list', () => {
  it('needs membership of an allowed server once servers or roles are listed, unless the user is named', () => {
    expect(dmNeedsMembership(none, 'U1')).toBe(false);
    expect(dmNeedsMembership({ ...none, guilds: ['G1'] }, 'U1')).toBe(true);
    expect(dmNeedsMembership({ ...none, roles: ['R1'] }, 'U1')).toBe(true);
    expect(dmNeedsMembership({ ...none, guilds: ['G1'], users: ['U1'] }, 'U1')).toBe(false);
    // Roles are required of everyone: a named user must hold one too.
    expect(dmNeedsMembership({ ...none, guilds: ['G1'], roles: ['R1'], users: ['U1'] }, 'U1')).toBe(true);
  });

  it('refuses a DM until the user is shown to be a member of an allowed server with an allowed role', () => {
    const lists = { ...none, guilds: ['G1'], roles: ['R1'] };
    expect(accessDenied({ ...none, guilds: ['G1'] }, dm)).toBe(DM_MEMBERS_ONLY);
    expect(accessDenied(lists, dm)).toBe(DM_MEMBERS_ONLY);
    expect(accessDenied(lists, { ...dm, guild: 'G2', roles: ['R1'] })).toBe(DM_MEMBERS_ONLY);
    expect(accessDenied(lists, { ...dm, guild: 'G1', roles: ['R2'] })).toMatch(/role/);
    expect(accessDenied(lists, { ...dm, guild: 'G1', roles: ['R1'] })).toBeUndefined();
    // The user list is checked first, without any lookup.
    expect(accessDenied({ ...lists, users: ['U2'] }, dm)).toMatch(/not on the list/);
    expect(accessDenied({ ...none, guilds: ['G1'], users: ['U1'] }, dm)).toBeUndefined();
  });

  it('keeps Slack and Discord lists apart in a deployment that sets both', () => {
    const both = { ...none, workspaces: ['T1'], guilds: ['G1'], roles: ['R1'] };
    const slackDm = { team: 'T1', channel: 'D1', user: 'U1', isDm: true };
    expect(accessDenied(both, slackDm)).toBeUndefined();
    expect(accessDenied(both, { ...slackDm, isDm: false, channel: 'C1' })).toBeUndefined();
    expect(accessDenied(both, { ...dm, guild: 'G1', roles: ['R1'] })).toBeUndefined();
  });
});

describe('guild membership cache', () => {
  function counting(answer: (guild: string, user: string) => MemberRoles | Error) {
    const calls: string[] = [];
    const lookup = (guild: string, user: string) => {
      calls.push(`${guild}:${user}`);
      const result = answer(guild, user);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    };
    return { calls, lookup };
  }

  it('asks once per user within the TTL, shares a lookup in flight, and asks again after it', async () => {
    let now = 1_000;
    const { calls, lookup } = counting(() => ['R1']);
    const members = new GuildMembers(lookup, 60_000, () => now);
    const [a, b] = await Promise.all([members.roles('G1', 'U1'), members.roles('G1', 'U1')]);
    expect([a, b]).toEqual([['R1'], ['R1']]);
    now += 59_000;
    expect(await members.roles('G1', 'U1')).toEqual(['R1']);
    expect(calls).toEqual(['G1:U1']);
    now += 2_000;
    await members.roles('G1', 'U1');
    expect(calls).toEqual(['G1:U1', 'G1:U1']);
  });

  it('caches "not a member" but never a failure', async () => {
    let fail = true;
    const { calls, lookup } = counting((_g, user) =>
      user === 'U2' ? null : fail ? new Error('503 Service Unavailable') : ['R1'],
    );
    const members = new GuildMembers(lookup, 60_000);
    expect(await members.roles('G1', 'U2')).toBeNull();
    expect(await members.roles('G1', 'U2')).toBeNull();
    await expect(members.roles('G1', 'U1')).rejects.toThrow('503');
    fail = false;
    expect(await members.roles('G1', 'U1')).toEqual(['R1']);
    expect(calls).toEqual(['G1:U2', 'G1:U1', 'G1:U1']);
  });
});
