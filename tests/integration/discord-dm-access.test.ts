import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { customId } from '../../adapters/discord/custom-ids.js';
import { defaultUsers } from '../fakes/fake-discord-ids.js';
import { DISCORD_IDS } from '../fakes/fake-discord.js';
import { startDiscordHarness, type DiscordHarness } from '../helpers/discord-harness.js';
import { eventually } from '../helpers/slack-harness.js';
import { REDIS_URL, testConfig } from '../helpers/test-app.js';
import { effectTool } from '../helpers/test-tools.js';

/** Carol has an account but is in none of the bot's servers. */
const CAROL = { id: '1300000000000000309', username: 'carol', globalName: 'Carol' };
const MEMBER_ROUTE = 'GET /guilds/:guildId/members/:userId';
const MEMBERS_ONLY = 'open only to members of the servers the intern works in';

let h: DiscordHarness | undefined;
const redis = new Redis(REDIS_URL);
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => redis.disconnect());

function botTexts(harness: DiscordHarness, channelId: string): string[] {
  return harness.discord
    .channelMessages(channelId)
    .filter((m) => m.authorId === DISCORD_IDS.bot)
    .map((m) => m.content);
}

/** The counter `launch_job` increments when it really runs. */
let counter = '';

function serverOnly(access: Record<string, unknown> = {}, options: { memberCacheTtlMs?: number } = {}) {
  const config = testConfig({ access: { guilds: [DISCORD_IDS.guild], ...access } });
  counter = `${config.redis.prefix}:counter`;
  return startDiscordHarness({
    config,
    fake: { users: [...defaultUsers('ml-intern'), CAROL] },
    tools: [effectTool(counter)],
    ...options,
  });
}

describe('discord: DMs under a server allow-list', () => {
  it('refuses a DM from someone in no allowed server (checked over REST), while a member gets through', async () => {
    h = await serverOnly();
    const harness = h;
    h.llm.enqueue({ text: 'Hello Alice.' });
    const stranger = h.discord.gateway.sendMessage({ author: CAROL.id, dm: true, content: 'spend money' });
    await eventually(() => botTexts(harness, stranger.channelId).some((t) => t.includes(MEMBERS_ONLY)));
    const lookup = h.discord.callsTo(MEMBER_ROUTE).find((c) => c.path.endsWith(CAROL.id));
    expect(lookup).toMatchObject({ status: 404, response: { message: 'Unknown Member', code: 10007 } });
    expect(h.logs.some((l) => l.msg === 'discord user refused' && l.user === CAROL.id)).toBe(true);

    // The sentinel: a member's DM, handled after the refused one, is the only thing the model saw.
    const member = h.discord.gateway.sendMessage({ dm: true, content: 'hi from alice' });
    await eventually(() => botTexts(harness, member.channelId).some((t) => t.includes('Hello Alice.')));
    expect(h.llm.requests).toHaveLength(1);
    expect(JSON.stringify(h.llm.requests[0]?.body)).not.toContain('spend money');
  });

  it('looks a chatty DM sender up once, not once per message', async () => {
    h = await serverOnly();
    const harness = h;
    h.llm.enqueue({ text: 'One.' }, { text: 'Two.' }, { text: 'Three.' });
    for (const [i, answer] of ['One.', 'Two.', 'Three.'].entries()) {
      const dm = h.discord.gateway.sendMessage({ dm: true, content: `message ${i}` });
      await eventually(() => botTexts(harness, dm.channelId).some((t) => t.includes(answer)));
    }
    expect(h.discord.callsTo(MEMBER_ROUTE)).toHaveLength(1);
  });

  it('with roles listed, refuses a member without one of them', async () => {
    h = await serverOnly({ roles: [DISCORD_IDS.approverRole] });
    const harness = h;
    h.llm.enqueue({ text: 'Approver here.' });
    const bob = h.discord.gateway.sendMessage({ author: DISCORD_IDS.bob, dm: true, content: 'let me in' });
    await eventually(() => botTexts(harness, bob.channelId).some((t) => t.includes('do not have a role')));
    const alice = h.discord.gateway.sendMessage({ dm: true, content: 'I hold the role' });
    await eventually(() => botTexts(harness, alice.channelId).some((t) => t.includes('Approver here.')));
    expect(h.llm.requests).toHaveLength(1);
    expect(JSON.stringify(h.llm.requests[0]?.body)).not.toContain('let me in');
  });

  it('refuses with "try again" and logs why when the membership check fails; it is not cached', async () => {
    h = await serverOnly();
    const harness = h;
    h.llm.enqueue({ text: 'Checked now.' });
    // Four 503s: the first try and the three retries discord.js makes.
    h.discord.failNext(MEMBER_ROUTE, { status: 503, times: 4 });
    const first = h.discord.gateway.sendMessage({ dm: true, content: 'first try' });
    await eventually(() => botTexts(harness, first.channelId).some((t) => t.includes('try again')));
    const failure = h.logs.find((l) => l.msg === 'discord membership check failed');
    expect(failure?.err).toMatchObject({ message: expect.stringContaining('Service Unavailable') as string });
    expect(
      h.logs.some((l) => l.msg === 'discord user refused' && l.reason === 'membership check failed'),
    ).toBe(true);
    const second = h.discord.gateway.sendMessage({ dm: true, content: 'second try' });
    await eventually(() => botTexts(harness, second.channelId).some((t) => t.includes('Checked now.')));
    expect(h.llm.requests).toHaveLength(1);
    expect(JSON.stringify(h.llm.requests[0]?.body)).not.toContain('first try');
  });

  it('refuses DM clicks and slash commands once the user has left the server', async () => {
    h = await serverOnly({}, { memberCacheTtlMs: 0 });
    const harness = h;
    h.llm.enqueue({ toolCalls: [{ id: 'toolu_dm1', name: 'launch_job', input: { name: 'train' } }] });
    const dm = h.discord.gateway.sendMessage({ dm: true, content: 'launch it' });
    const card = await eventually(() =>
      harness.discord
        .channelMessages(dm.channelId)
        .find((m) => JSON.stringify(m.components).includes('mlib:a:')),
    );
    const sessionId = (await h.app.threadSession({
      platform: 'discord',
      channel: dm.channelId,
      thread: dm.channelId,
    }))!;
    const guild = h.discord.world.guilds.get(DISCORD_IDS.guild)!;
    guild.members = guild.members.filter((m) => m.userId !== DISCORD_IDS.alice);

    h.discord.gateway.clickButton({
      messageId: card.id,
      customId: customId({ verb: 'approve', sessionId, toolCallId: 'toolu_dm1' }),
    });
    await eventually(() =>
      harness.discord.messages.some((m) => m.ephemeral && m.content.includes(MEMBERS_ONLY)),
    );
    h.discord.gateway.runSlashCommand({ dm: true, name: 'intern', subcommand: 'stop' });
    await eventually(
      () =>
        harness.discord.messages.filter((m) => m.ephemeral && m.content.includes(MEMBERS_ONLY)).length === 2,
    );
    expect(await redis.get(counter)).toBeNull();
    expect(h.discord.message(card.id)?.components.length).toBeGreaterThan(0);
    expect(
      h.logs.filter((l) => l.msg === 'discord user refused' && l.user === DISCORD_IDS.alice),
    ).toHaveLength(2);
  });
});
