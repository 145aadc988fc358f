import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { customId } from '../../adapters/discord/custom-ids.js';
import { registerCommands } from '../../adapters/discord/slash-commands.js';
import { DISCORD_IDS, startFakeDiscord } from '../fakes/fake-discord.js';
import { startDiscordHarness, type DiscordHarness } from '../helpers/discord-harness.js';
import { eventually } from '../helpers/slack-harness.js';
import { REDIS_URL, testConfig } from '../helpers/test-app.js';
import { echoTool, effectTool } from '../helpers/test-tools.js';

const BOT = DISCORD_IDS.bot;
let h: DiscordHarness | undefined;
const redis = new Redis(REDIS_URL);
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => redis.disconnect());

/** The bot's messages in a channel or thread, as their current text. */
function botTexts(harness: DiscordHarness, channelId: string): string[] {
  return harness.discord
    .channelMessages(channelId)
    .filter((m) => m.authorId === BOT)
    .map((m) => m.content);
}

describe('discord: mentions, threads, DMs', () => {
  it('opens a thread from a mention, answers there, and takes follow-ups without a mention', async () => {
    h = await startDiscordHarness();
    const harness = h;
    h.llm.enqueue({ text: 'Use LoRA.' }, { text: 'Rank 16.' });
    const mention = h.discord.gateway.sendMessage({
      content: 'how do I fine-tune a llama?',
      mentionsBot: true,
    });
    const thread = await eventually(() =>
      harness.discord.threads.find((t) => t.id === mention.id || t.parentId === DISCORD_IDS.general),
    );
    expect(thread.name).toBe('how do I fine-tune a llama?');
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Use LoRA.')));
    h.discord.gateway.sendMessage({ channelId: thread.id, content: 'which rank?' });
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Rank 16.')));
    expect(JSON.stringify(h.llm.requests.at(-1)?.body)).toContain('how do I fine-tune a llama?');
    expect(h.discord.typing.length).toBeGreaterThan(0);
  });

  it('runs a session in a DM and ignores other bots and unmentioned channel chatter', async () => {
    h = await startDiscordHarness();
    const harness = h;
    h.llm.enqueue({ text: 'Hello from the DM.' });
    h.discord.gateway.sendMessage({ content: 'lunch?' });
    h.discord.gateway.sendMessage({ author: DISCORD_IDS.otherBot, content: 'beep', mentionsBot: true });
    const dm = h.discord.gateway.sendMessage({ dm: true, content: 'hi intern' });
    await eventually(() => botTexts(harness, dm.channelId).some((t) => t.includes('Hello from the DM.')));
    expect(h.llm.requests).toHaveLength(1);
  });

  it('splits a 4,500-character answer into messages of at most 2,000 characters', async () => {
    h = await startDiscordHarness();
    const harness = h;
    const answer = Array.from({ length: 90 }, (_, i) => `Line ${i}: ${'words '.repeat(7)}`).join('\n');
    h.llm.enqueue({ text: answer, textChunkChars: 500 });
    const mention = h.discord.gateway.sendMessage({ content: 'write a lot', mentionsBot: true });
    const thread = await eventually(() => harness.discord.threads.find((t) => t.id === mention.id));
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Done')));
    const pieces = botTexts(h, thread.id).filter((t) => t.startsWith('Line'));
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces.every((p) => p.length <= 2_000)).toBe(true);
    expect(pieces.join('\n')).toBe(answer);
  });

  it('still answers mentions when the app lacks the MessageContent intent', async () => {
    h = await startDiscordHarness({ fake: { messageContent: false } });
    const harness = h;
    expect(h.adapter.messageContent).toBe(false);
    h.llm.enqueue({ text: 'Heard you.' });
    const mention = h.discord.gateway.sendMessage({ content: 'are you there?', mentionsBot: true });
    const thread = await eventually(() => harness.discord.threads.find((t) => t.id === mention.id));
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Heard you.')));
    expect(JSON.stringify(h.llm.requests[0]?.body)).toContain('are you there?');
  });
});

describe('discord: approvals and commands', () => {
  async function cardIn(harness: DiscordHarness) {
    harness.llm.enqueue({ toolCalls: [{ id: 'toolu_d1', name: 'launch_job', input: { name: 'train' } }] });
    harness.llm.setDefault(() => ({ text: 'Finished.' }));
    const mention = harness.discord.gateway.sendMessage({ content: 'launch it', mentionsBot: true });
    const thread = await eventually(() => harness.discord.threads.find((t) => t.id === mention.id));
    const card = await eventually(() =>
      harness.discord
        .channelMessages(thread.id)
        .find((m) => JSON.stringify(m.components).includes('mlib:a:')),
    );
    const sessionId = (await harness.app.threadSession({
      platform: 'discord',
      channel: thread.id,
      thread: thread.id,
    }))!;
    return { thread, card, sessionId };
  }

  it('runs the call when the owner approves; a stranger is refused; a double click runs it once', async () => {
    const config = testConfig();
    const counter = `${config.redis.prefix}:counter`;
    h = await startDiscordHarness({ config, tools: [effectTool(counter)] });
    const harness = h;
    const { thread, card, sessionId } = await cardIn(harness);
    const approve = customId({ verb: 'approve', sessionId, toolCallId: 'toolu_d1' });

    const stranger = h.discord.gateway.clickButton({
      user: DISCORD_IDS.bob,
      messageId: card.id,
      customId: approve,
    });
    await eventually(() => harness.discord.interactionCallbacks.some((c) => c.interactionId === stranger.id));
    await eventually(() =>
      harness.discord.messages.some((m) => m.flags === 64 && m.content.includes('or an approver')),
    );
    expect(await redis.get(counter)).toBeNull();

    h.discord.gateway.clickButton({ messageId: card.id, customId: approve });
    h.discord.gateway.clickButton({ messageId: card.id, customId: approve });
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Finished.')));
    expect(await redis.get(counter)).toBe('1');
    const edited = h.discord.message(card.id)!;
    expect(edited.components).toHaveLength(0);
    expect(edited.content).toContain(`Approved by <@${DISCORD_IDS.alice}>`);
    // Every click was answered within Discord's 3 seconds.
    expect(h.discord.interactionCallbacks.every((c) => c.latencyMs < 3_000)).toBe(true);
  });

  it('rejects with feedback through a modal; the model gets the feedback', async () => {
    const config = testConfig();
    h = await startDiscordHarness({ config, tools: [effectTool(`${config.redis.prefix}:counter`)] });
    const harness = h;
    const { thread, card, sessionId } = await cardIn(harness);
    const click = h.discord.gateway.clickButton({
      messageId: card.id,
      customId: customId({ verb: 'feedback', sessionId, toolCallId: 'toolu_d1' }),
    });
    await harness.discord.waitForCallback(click.id);
    h.discord.gateway.submitModal({ values: { feedback: 'use a smaller GPU' } });
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Finished.')));
    expect(JSON.stringify(h.llm.requests.at(-1)?.body)).toContain('use a smaller GPU');
  });

  it('/intern stop interrupts a running turn', async () => {
    h = await startDiscordHarness();
    const harness = h;
    const full = 'z'.repeat(800);
    h.llm.enqueue({ text: full, textChunkChars: 4, chunkDelayMs: 20 });
    const mention = h.discord.gateway.sendMessage({ content: 'talk', mentionsBot: true });
    const thread = await eventually(() => harness.discord.threads.find((t) => t.id === mention.id));
    await eventually(() => botTexts(harness, thread.id).some((t) => t.startsWith('zzz')));
    h.discord.gateway.runSlashCommand({ channelId: thread.id, name: 'intern', subcommand: 'stop' });
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Stopped')));
    // The turn ended early: the answer never reached its end, and nothing says "Done".
    const answer = botTexts(h, thread.id).find((t) => t.startsWith('z')) ?? '';
    expect(answer.length).toBeLessThan(full.length);
    expect(botTexts(h, thread.id).some((t) => t.includes('Done'))).toBe(false);
    expect(h.llm.requests).toHaveLength(1);
  });
});

describe('discord: attachments and rate limits', () => {
  it('reads text attachments, names the others, and waits out a 429 without duplicating', async () => {
    h = await startDiscordHarness();
    const harness = h;
    h.llm.enqueue({ text: 'Read the csv.' });
    h.discord.failNext('POST /channels/:id/messages', { status: 429, retryAfterSec: 1 });
    const mention = h.discord.gateway.sendMessage({
      content: 'look at these',
      mentionsBot: true,
      attachments: [
        { filename: 'train.csv', content: 'text,label\nhi,1\n', contentType: 'text/csv' },
        { filename: 'loss.png', content: Buffer.from([137, 80, 78, 71]), contentType: 'image/png' },
      ],
    });
    const thread = await eventually(() => harness.discord.threads.find((t) => t.id === mention.id));
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Read the csv.')), 15_000);
    const sent = JSON.stringify(h.llm.requests[0]?.body);
    expect(sent).toContain('hi,1');
    expect(sent).toContain('loss.png');
    expect(h.discord.callsTo('POST /channels/:id/messages').some((c) => c.status === 429)).toBe(true);
    expect(botTexts(h, thread.id).filter((t) => t.includes('Read the csv.'))).toHaveLength(1);
  });
});

describe('discord: access, tool outputs, command registration', () => {
  it('refuses a user outside the allow-list privately and enqueues nothing', async () => {
    h = await startDiscordHarness({ config: testConfig({ access: { users: [DISCORD_IDS.bob] } }) });
    const harness = h;
    h.llm.enqueue({ text: 'Hi Bob.' });
    h.discord.gateway.sendMessage({ content: 'run up the bill', mentionsBot: true });
    await eventually(() =>
      harness.discord.messages.some((m) => m.authorId === BOT && m.content.includes('not on the list')),
    );
    expect(h.logs.some((l) => l.msg === 'discord user refused' && l.user === DISCORD_IDS.alice)).toBe(true);
    // The sentinel: an allowed user's mention, sent after the refused one, is the only turn.
    const sentinel = h.discord.gateway.sendMessage({
      author: DISCORD_IDS.bob,
      content: 'hello',
      mentionsBot: true,
    });
    const thread = await eventually(() => harness.discord.threads.find((t) => t.id === sentinel.id));
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Hi Bob.')));
    expect(h.llm.requests).toHaveLength(1);
    expect(JSON.stringify(h.llm.requests[0]?.body)).not.toContain('run up the bill');
    expect(h.discord.threads).toHaveLength(1);
  });

  it('attaches a long tool output as a file', async () => {
    h = await startDiscordHarness({ tools: [echoTool] });
    const harness = h;
    h.llm.enqueue(
      { toolCalls: [{ name: 'echo', input: { text: 'row '.repeat(800) } }] },
      { text: 'Echoed.' },
    );
    const mention = h.discord.gateway.sendMessage({ content: 'echo', mentionsBot: true });
    const thread = await eventually(() => harness.discord.threads.find((t) => t.id === mention.id));
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Echoed.')));
    const withFile = h.discord.channelMessages(thread.id).find((m) => m.attachments.length > 0);
    expect(withFile?.attachments[0]?.filename).toBe('echo-output.txt');
  });

  it('registers /intern in a guild through the REST API', async () => {
    const discord = await startFakeDiscord();
    try {
      const where = await registerCommands({
        token: discord.token,
        apiUrl: discord.apiUrl,
        guildId: DISCORD_IDS.guild,
      });
      expect(where).toContain(DISCORD_IDS.guild);
      expect(discord.commands.map((c) => c.name)).toEqual(['intern']);
    } finally {
      await discord.close();
    }
  });
});
