import { once } from 'node:events';
import { Client, DiscordAPIError, Events, GatewayIntentBits, REST, Routes } from 'discord.js';
import type { APIGuildMember, TextChannel } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISCORD_IDS, startFakeDiscord } from '../fakes/fake-discord.js';
import type { FakeDiscord } from '../fakes/fake-discord.js';

let fake: FakeDiscord;
let client: Client | undefined;
beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake.close();
});

describe('fake Discord: guild members and mentions as Discord answers them', () => {
  it('answers GET /guilds/{guild}/members/{user} with the member object, and 404 Unknown Member', async () => {
    const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
    const member = (await rest.get(
      Routes.guildMember(DISCORD_IDS.guild, DISCORD_IDS.alice),
    )) as APIGuildMember;
    expect(member).toMatchObject({
      user: { id: DISCORD_IDS.alice, username: 'alice' },
      roles: [DISCORD_IDS.approverRole],
      joined_at: expect.any(String) as string,
      deaf: false,
      mute: false,
      pending: false,
    });
    const missing = await rest
      .get(Routes.guildMember(DISCORD_IDS.guild, '1300000000000000999'))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DiscordAPIError);
    expect(missing).toMatchObject({
      status: 404,
      code: 10007,
      rawError: { message: 'Unknown Member', code: 10007 },
    });
    const otherGuild = await rest
      .get(Routes.guildMember('1300000000000000999', DISCORD_IDS.alice))
      .catch((e: unknown) => e);
    expect(otherGuild).toMatchObject({ status: 404, code: 10004 });
  });

  it('records each write with its allowed_mentions and whom it would ping', async () => {
    client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    client.options.rest = { ...client.options.rest, api: fake.apiUrl };
    client.rest.options.api = fake.apiUrl;
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
    const channel = (await client.channels.fetch(DISCORD_IDS.general)) as TextChannel;
    const text = `@everyone <@${DISCORD_IDS.bob}> <@&${DISCORD_IDS.approverRole}>`;
    const loud = await channel.send(text);
    await channel.send({ content: text, allowedMentions: { parse: [] } });
    await channel.send({ content: text, allowedMentions: { users: [DISCORD_IDS.bob] } });
    // `allowed_mentions` without `replied_user`: Discord's default there is false.
    const hushed = await loud.reply({ content: 'quiet reply', allowedMentions: { parse: [] } });
    await loud.reply('loud reply');

    const [all, none, bob, quiet, reply] = fake.messageWrites();
    expect(all?.allowedMentions).toBeUndefined();
    expect(all?.pings).toEqual({
      users: [DISCORD_IDS.bob],
      roles: [DISCORD_IDS.approverRole],
      everyone: true,
      repliedUser: false,
    });
    expect(none?.pings).toEqual({ users: [], roles: [], everyone: false, repliedUser: false });
    expect(bob?.pings.users).toEqual([DISCORD_IDS.bob]);
    expect(bob?.pings.everyone).toBe(false);
    expect(quiet?.repliesTo).toBe(DISCORD_IDS.bot);
    expect(quiet?.pings.repliedUser).toBe(false);
    expect(fake.message(hushed.id)?.mentions).toEqual([]);
    expect(reply?.pings.repliedUser).toBe(true);
  });
});
