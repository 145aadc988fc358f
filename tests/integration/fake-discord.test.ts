import { once } from 'node:events';
import { createInflate, constants as zlibConstants } from 'node:zlib';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  Partials,
  REST,
  Routes,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import type { ClientOptions, Message, TextChannel } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DISCORD_IDS, messagePayload, startFakeDiscord } from '../fakes/fake-discord.js';
import type { FakeDiscord, FakeDiscordOptions } from '../fakes/fake-discord.js';

const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

let fake: FakeDiscord;
const clients: Client[] = [];

beforeEach(async () => {
  fake = await startFakeDiscord();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await fake.close();
});

async function restart(options: FakeDiscordOptions): Promise<void> {
  await fake.close();
  fake = await startFakeDiscord(options);
}

/** A real discord.js client against the fake, logged in and ready; destroyed in afterEach. */
async function startClient(options: Partial<ClientOptions> = {}): Promise<Client<true>> {
  const client = new Client({
    intents: INTENTS,
    // Without the Channel partial discord.js drops DMs whose channel it has not cached (real behaviour).
    partials: [Partials.Channel],
    rest: { api: fake.apiUrl },
    ...options,
  });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return client as Client<true>;
}

/** Resolves with the next message discord.js emits that `accept` takes. */
function nextMessage(client: Client, accept: (m: Message) => boolean = () => true): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (message: Message) => {
      if (!accept(message)) return;
      client.off(Events.MessageCreate, listener);
      resolve(message);
    };
    client.on(Events.MessageCreate, listener);
  });
}

const fromHuman = (m: Message) => !m.author.bot;

describe('fake Discord with a real discord.js Client', () => {
  it('serves /gateway/bot under rest.api + /v10, identifies with the intents and caches the guild', async () => {
    const client = await startClient();
    await fake.gateway.ready();

    const gatewayCall = fake.callsTo('GET /gateway/bot')[0];
    expect(gatewayCall?.authorization).toBe(`Bot ${fake.token}`);
    expect(gatewayCall?.status).toBe(200);
    expect(fake.gateway.identify?.intents).toBe(
      GatewayIntentBits.Guilds |
        GatewayIntentBits.GuildMessages |
        GatewayIntentBits.DirectMessages |
        GatewayIntentBits.MessageContent,
    );
    expect(fake.gateway.identify?.compress).toBe(false);
    expect(client.user.id).toBe(DISCORD_IDS.bot);
    expect(client.application.id).toBe(DISCORD_IDS.application);
    const guild = client.guilds.cache.get(DISCORD_IDS.guild);
    expect(guild?.available).toBe(true);
    expect(guild?.members.me?.roles.cache.has(DISCORD_IDS.botRole)).toBe(true);
    expect(guild?.channels.cache.get(DISCORD_IDS.general)?.type).toBe(ChannelType.GuildText);
    expect(fake.gateway.dispatched.map((d) => d.t)).toEqual(['READY', 'GUILD_CREATE']);
  });

  it('delivers a mention, and records the reply, the thread started from it, a post there and an edit', async () => {
    const client = await startClient();
    const handled = new Promise<void>((resolve, reject) => {
      client.on(Events.MessageCreate, (message) => {
        if (message.author.bot || !message.mentions.users.has(client.user.id)) return;
        void (async () => {
          const thread = await message.startThread({ name: 'Fine-tune a small model' });
          await thread.sendTyping();
          const status = await thread.send('Working on it…');
          await status.edit('Done: see below.');
          await message.reply('Answered in the thread.');
        })().then(resolve, reject);
      });
    });

    const prompt = fake.gateway.sendMessage({ content: 'fine-tune a small model', mentionsBot: true });
    await handled;

    const thread = fake.threads[0];
    expect(thread).toMatchObject({
      id: prompt.id,
      parentId: DISCORD_IDS.general,
      name: 'Fine-tune a small model',
      type: ChannelType.PublicThread,
    });
    expect(fake.message(prompt.id)?.threadId).toBe(prompt.id);
    expect(fake.typing).toEqual([{ channelId: prompt.id, at: expect.any(Number) as number }]);
    const [status] = fake.channelMessages(prompt.id);
    expect(status).toMatchObject({ content: 'Done: see below.', authorId: DISCORD_IDS.bot });
    expect(status?.contentHistory).toEqual(['Working on it…', 'Done: see below.']);
    expect(status?.edits).toHaveLength(1);
    const reply = fake.channelMessages(DISCORD_IDS.general).at(-1);
    expect(reply?.reference?.message_id).toBe(prompt.id);
    expect(reply?.mentions).toContain(DISCORD_IDS.alice);
    // discord.js learnt about the thread from the REST answer (and THREAD_CREATE): it is cached.
    expect(client.channels.cache.get(prompt.id)?.isThread()).toBe(true);
  });

  it('delivers thread follow-ups without a mention and DMs, with attachments downloadable', async () => {
    const client = await startClient();
    const starter = fake.gateway.sendMessage({ content: 'hi', mentionsBot: true });
    const channel = client.channels.cache.get(DISCORD_IDS.general) as TextChannel;
    const message = await channel.messages.fetch(starter.id);
    const thread = await message.startThread({ name: 'session' });

    const inThread = nextMessage(client, fromHuman);
    fake.gateway.sendMessage({
      channelId: thread.id,
      content: 'and use LoRA',
      attachments: [{ filename: 'notes.txt', content: 'lr=1e-4' }],
    });
    const followUp = await inThread;
    expect(followUp.channelId).toBe(thread.id);
    expect(followUp.content).toBe('and use LoRA');
    const url = followUp.attachments.first()?.url ?? '';
    expect(await (await fetch(url)).text()).toBe('lr=1e-4');

    const inDm = nextMessage(client, fromHuman);
    fake.gateway.sendMessage({ dm: true, author: DISCORD_IDS.bob, content: 'private question' });
    const dm = await inDm;
    expect(dm.channel.type).toBe(ChannelType.DM);
    expect(dm.guildId).toBeNull();
    await dm.reply('private answer');
    expect(fake.channelMessages(dm.channelId).map((m) => m.content)).toEqual([
      'private question',
      'private answer',
    ]);
  });

  it('handles a button click with deferUpdate + edit, refuses a stranger ephemerally, and a modal round trip', async () => {
    const client = await startClient();
    const channel = client.channels.cache.get(DISCORD_IDS.general) as TextChannel;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('approve:s1:c1').setLabel('Approve').setStyle(ButtonStyle.Success),
      new ButtonBuilder().setCustomId('reject:s1:c1').setLabel('Reject…').setStyle(ButtonStyle.Danger),
    );
    const approval = await channel.send({ content: 'Run `train.py` on a10g?', components: [row] });
    let feedback = '';
    client.on(Events.InteractionCreate, (interaction) => {
      void (async () => {
        if (interaction.isButton() && interaction.user.id !== DISCORD_IDS.alice) {
          await interaction.reply({
            content: 'Only the session owner can decide.',
            flags: MessageFlags.Ephemeral,
          });
        } else if (interaction.isButton() && interaction.customId.startsWith('approve:')) {
          await interaction.deferUpdate();
          await interaction.message.edit({ content: 'Approved by Alice', components: [] });
        } else if (interaction.isButton()) {
          const input = new TextInputBuilder().setCustomId('feedback').setStyle(TextInputStyle.Paragraph);
          await interaction.showModal(
            new ModalBuilder()
              .setCustomId('reject-modal:s1:c1')
              .setTitle('Reject with feedback')
              .addLabelComponents(
                new LabelBuilder().setLabel('What should change?').setTextInputComponent(input),
              ),
          );
        } else if (interaction.isModalSubmit()) {
          feedback = interaction.fields.getTextInputValue('feedback');
          await interaction.deferUpdate();
          await interaction.editReply({ content: `Rejected: ${feedback}`, components: [] });
        }
      })();
    });

    const stranger = fake.gateway.clickButton({
      user: DISCORD_IDS.bob,
      messageId: approval.id,
      customId: 'approve:s1:c1',
    });
    const refusal = await fake.waitForCallback(stranger.id);
    expect(refusal).toMatchObject({ type: 4, ephemeral: true, flags: MessageFlags.Ephemeral });
    expect(fake.message(stranger.originalMessageId ?? '')).toMatchObject({
      ephemeral: true,
      content: 'Only the session owner can decide.',
    });

    const reject = fake.gateway.clickButton({ messageId: approval.id, customId: 'reject:s1:c1' });
    expect((await fake.waitForCallback(reject.id)).type).toBe(9);
    expect(reject.modal?.custom_id).toBe('reject-modal:s1:c1');
    const submit = fake.gateway.submitModal({ values: { feedback: 'use a smaller lr' } });
    expect((await fake.waitForCallback(submit.id)).type).toBe(6);
    await fake.waitForCall('PATCH /webhooks/:app/:token/messages/@original');
    expect(feedback).toBe('use a smaller lr');
    expect(fake.message(approval.id)).toMatchObject({
      content: 'Rejected: use a smaller lr',
      components: [],
    });

    // A fresh approval message, approved by the owner: deferred update, then a REST edit.
    const again = await channel.send({ content: 'Run it again?', components: [row] });
    const click = fake.gateway.clickButton({ messageId: again.id, customId: 'approve:s1:c1' });
    expect((await fake.waitForCallback(click.id)).type).toBe(6);
    await fake.waitForCall(`PATCH /channels/${DISCORD_IDS.general}/messages/${again.id}`);
    expect(fake.message(again.id)).toMatchObject({ content: 'Approved by Alice', components: [] });
    // Its buttons are gone: nobody can click them any more.
    expect(() => fake.gateway.clickButton({ messageId: again.id, customId: 'approve:s1:c1' })).toThrow(
      /no button/,
    );
  });

  it('records uploaded files with their bytes, served back at the attachment URL', async () => {
    const client = await startClient();
    const channel = client.channels.cache.get(DISCORD_IDS.general) as TextChannel;
    const sent = await channel.send({
      content: 'Full log attached.',
      files: [{ attachment: Buffer.from('epoch 1 loss 0.52\n'), name: 'train.log' }],
    });

    const [file] = fake.message(sent.id)?.attachments ?? [];
    expect(file).toMatchObject({ filename: 'train.log', contentType: 'text/plain; charset=utf-8', size: 18 });
    expect(file?.bytes.toString()).toBe('epoch 1 loss 0.52\n');
    expect(await (await fetch(sent.attachments.first()?.url ?? '')).text()).toBe('epoch 1 loss 0.52\n');
  });

  it('acks heartbeats, and replays missed events when the client resumes after op 7', async () => {
    await restart({ heartbeatIntervalMs: 100 });
    const client = await startClient();
    await expect.poll(() => client.ws.ping).toBeGreaterThanOrEqual(0);
    expect(fake.gateway.heartbeats).toBeGreaterThan(0);

    const resumed = once(client, Events.ShardResume);
    const missed = nextMessage(client, fromHuman);
    fake.gateway.requestReconnect();
    fake.gateway.sendMessage({ content: 'sent while reconnecting' });
    await resumed;
    expect((await missed).content).toBe('sent while reconnecting');
    expect(fake.gateway.received.filter((p) => p.op === 6)).toHaveLength(1);
    expect(fake.gateway.identifies).toHaveLength(1);

    // A hand-built payload goes through `dispatch` as is.
    const raw = nextMessage(client, fromHuman);
    const payload = messagePayload({
      author: DISCORD_IDS.bob,
      channelId: DISCORD_IDS.general,
      guildId: DISCORD_IDS.guild,
      content: 'built by hand',
    });
    expect(fake.gateway.dispatch('MESSAGE_CREATE', payload)).toBe(1);
    expect((await raw).author.username).toBe('bob');
  });

  it('waits out a 429 with retry-after 1 and sends the message exactly once', async () => {
    const client = await startClient();
    const channel = client.channels.cache.get(DISCORD_IDS.general) as TextChannel;
    fake.failNext('POST /channels/:id/messages', { status: 429, retryAfterSec: 1 });

    await channel.send('after the rate limit');

    const posts = fake.callsTo('POST /channels/:id/messages');
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(fake.messages.filter((m) => m.content === 'after the rate limit')).toHaveLength(1);
  });

  it('registers slash commands over REST and answers one with deferReply + editReply', async () => {
    const client = await startClient();
    const intern = new SlashCommandBuilder()
      .setName('intern')
      .setDescription('Control the ML intern')
      .addSubcommand((s) => s.setName('status').setDescription('Show the session'))
      .addSubcommand((s) => s.setName('stop').setDescription('Stop the running turn'));
    await client.application.commands.set([intern], DISCORD_IDS.guild);
    // The CLI path: a bare REST client registering global commands.
    const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
    await rest.put(Routes.applicationCommands(fake.applicationId), { body: [intern.toJSON()] });
    expect(fake.commands.map((c) => [c.name, c.guild_id])).toEqual([
      ['intern', DISCORD_IDS.guild],
      ['intern', undefined],
    ]);

    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      void (async () => {
        await interaction.deferReply();
        await interaction.editReply(`${interaction.options.getSubcommand()}: idle`);
      })();
    });
    const run = fake.gateway.runSlashCommand({ name: 'intern', subcommand: 'status' });
    expect((await fake.waitForCallback(run.id)).type).toBe(5);
    await fake.waitForCall('PATCH /webhooks/:app/:token/messages/@original');
    expect(fake.message(run.originalMessageId ?? '')).toMatchObject({ content: 'status: idle', flags: 0 });
    expect((run.payload.data as { id?: string }).id).toBe(fake.commands[0]?.id);
  });

  it('refuses a late callback (3 s rule) and a second acknowledgement', async () => {
    await restart({ interactionAckTimeoutMs: 100 });
    const client = await startClient();
    const errors: unknown[] = [];
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      setTimeout(() => void interaction.reply('too late').catch((err: unknown) => errors.push(err)), 200);
    });
    const run = fake.gateway.runSlashCommand({ name: 'intern', subcommand: 'stop' });
    await fake.waitForCall('POST /interactions/:id/:token/callback');
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatchObject({ code: 10062, status: 404 });
    expect(run.refusedCallbacks).toHaveLength(1);

    const quick = fake.gateway.runSlashCommand({ name: 'intern', subcommand: 'stop' });
    // As discord.js would send them: no Authorization header, the token in the path.
    const callback = (type: number) =>
      fetch(`${fake.apiUrl}/v10/interactions/${quick.id}/${quick.token}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type }),
      });
    expect((await callback(6)).status).toBe(400); // DEFERRED_UPDATE_MESSAGE is for components only
    expect((await callback(5)).status).toBe(204);
    const again = await callback(5);
    expect([again.status, await again.json()]).toMatchObject([400, { code: 40060 }]);
  });
});

describe('fake Discord intents', () => {
  it('closes an IDENTIFY asking for a privileged intent the app lacks with 4014, which fails login', async () => {
    await restart({ messageContent: false });
    const client = new Client({ intents: INTENTS, rest: { api: fake.apiUrl } });
    clients.push(client);
    await expect(client.login(fake.token)).rejects.toThrow('Used disallowed intents');
    expect(fake.gateway.closeCodes).toEqual([4014]);
  });

  it('blanks content without the MessageContent intent unless the bot is mentioned or it is a DM', async () => {
    await restart({ messageContent: false });
    const client = await startClient({
      intents: INTENTS.filter((i) => i !== GatewayIntentBits.MessageContent),
    });
    expect(client.application.flags.has('GatewayMessageContentLimited')).toBe(false);

    const plain = nextMessage(client, fromHuman);
    fake.gateway.sendMessage({ content: 'chatter the bot may not read' });
    expect((await plain).content).toBe('');

    const mention = nextMessage(client, fromHuman);
    fake.gateway.sendMessage({ content: 'please help', mentionsBot: true });
    expect((await mention).content).toBe(`<@${DISCORD_IDS.bot}> please help`);

    const dm = nextMessage(client, fromHuman);
    fake.gateway.sendMessage({ dm: true, content: 'a DM' });
    expect((await dm).content).toBe('a DM');
  });

  it('speaks zlib-stream when a client asks for compress=zlib-stream', async () => {
    const ws = new WebSocket(`${fake.gateway.url}/?v=10&encoding=json&compress=zlib-stream`);
    const inflate = createInflate({ chunkSize: 65535 });
    const payloads: Array<{ op: number; t?: string }> = [];
    inflate.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/(?<=})(?={"op")/))
        payloads.push(JSON.parse(line) as { op: number; t?: string });
    });
    ws.on('message', (data: Buffer) => {
      expect(data.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
      inflate.write(data);
      inflate.flush(zlibConstants.Z_SYNC_FLUSH);
    });
    await once(ws, 'open');
    ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {} } }));
    await fake.gateway.ready();
    await expect.poll(() => payloads.map((p) => p.t ?? p.op)).toEqual([10, 'READY', 'GUILD_CREATE']);
    ws.close();
  });
});
