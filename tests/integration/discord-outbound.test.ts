import { afterEach, describe, expect, it } from 'vitest';
import { customId } from '../../adapters/discord/custom-ids.js';
import { MAX_USER_TEXT_CHARS } from '../../src/core/operations.js';
import { createRedactor, REDACTED } from '../../src/core/redact.js';
import { defaultUsers } from '../fakes/fake-discord-ids.js';
import { DISCORD_IDS } from '../fakes/fake-discord.js';
import { startDiscordHarness, type DiscordHarness } from '../helpers/discord-harness.js';
import { eventually } from '../helpers/slack-harness.js';
import { testConfig } from '../helpers/test-app.js';
import { echoTool, effectTool } from '../helpers/test-tools.js';

const BOT = DISCORD_IDS.bot;
/** Everything a model, a tool or a user might echo that would ping a crowd. */
const PINGS = `@everyone @here <@${DISCORD_IDS.bob}> <@&${DISCORD_IDS.approverRole}>`;
const CAROL = { id: '1300000000000000309', username: 'carol', globalName: 'Carol' };

let h: DiscordHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function botTexts(harness: DiscordHarness, channelId: string): string[] {
  return harness.discord
    .channelMessages(channelId)
    .filter((m) => m.authorId === BOT)
    .map((m) => m.content);
}

async function threadOf(harness: DiscordHarness, messageId: string) {
  return eventually(() => harness.discord.threads.find((t) => t.id === messageId));
}

describe('discord: what the bot sends', () => {
  it('pings nobody from any message it sends: answers, tool lines, cards, refusals, replies, errors, clicks', async () => {
    const config = testConfig({ access: { users: [DISCORD_IDS.alice, DISCORD_IDS.bob] } });
    h = await startDiscordHarness({
      config,
      tools: [echoTool, effectTool(`${config.redis.prefix}:counter`)],
      fake: { users: [...defaultUsers('ml-intern'), CAROL] },
    });
    const harness = h;
    h.llm.enqueue(
      { toolCalls: [{ id: 'toolu_e1', name: 'echo', input: { text: PINGS } }] },
      { text: `Answer for ${PINGS}` },
      { toolCalls: [{ id: 'toolu_j1', name: 'launch_job', input: { name: PINGS } }] },
      { status: 400, errorMessage: `bad request ${PINGS}` },
    );
    const first = h.discord.gateway.sendMessage({ content: `echo ${PINGS}`, mentionsBot: true });
    const thread = await threadOf(harness, first.id);
    await eventually(() => botTexts(harness, thread.id).some((t) => t.startsWith('Answer for')));
    h.discord.gateway.sendMessage({ channelId: thread.id, content: 'launch' });
    const card = await eventually(() =>
      harness.discord
        .channelMessages(thread.id)
        .find((m) => JSON.stringify(m.components).includes('mlib:a:')),
    );
    const sessionId = (await h.app.threadSession({
      platform: 'discord',
      channel: thread.id,
      thread: thread.id,
    }))!;
    // A stranger's click (an ephemeral note), then the owner's rejection (the card redrawn).
    h.discord.gateway.clickButton({
      user: DISCORD_IDS.bob,
      messageId: card.id,
      customId: customId({ verb: 'approve', sessionId, toolCallId: 'toolu_j1' }),
    });
    await eventually(() =>
      harness.discord.messages.some((m) => m.ephemeral && m.content.includes('approver')),
    );
    h.discord.gateway.clickButton({
      messageId: card.id,
      customId: customId({ verb: 'reject', sessionId, toolCallId: 'toolu_j1' }),
    });
    await eventually(() => harness.discord.message(card.id)?.content.includes('Rejected by'));
    // The model's error, after the rejection.
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('⚠️')));
    h.discord.gateway.runSlashCommand({ channelId: thread.id, name: 'intern', subcommand: 'status' });
    await eventually(() =>
      harness.discord.messages.some((m) => m.interaction?.name === 'intern' && !m.ephemeral),
    );
    // Replies: an empty mention, a message over the size limit, and a refused stranger.
    const empty = h.discord.gateway.sendMessage({ content: '', mentionsBot: true });
    const long = h.discord.gateway.sendMessage({
      content: 'x'.repeat(MAX_USER_TEXT_CHARS + 1),
      mentionsBot: true,
    });
    h.discord.gateway.sendMessage({ author: CAROL.id, content: PINGS, mentionsBot: true });
    await eventually(() => {
      const replies = harness.discord.messages.filter((m) => m.authorId === BOT && m.reference !== undefined);
      return (
        replies.some((m) => m.reference?.message_id === empty.id) &&
        replies.some((m) => m.reference?.message_id === long.id)
      );
    });
    await eventually(() =>
      harness.discord.messages.some((m) => m.authorId === BOT && m.content.includes('not on the list')),
    );

    const writes = h.discord.messageWrites();
    // Every way of writing was exercised, and the echoed mentions did go out as text.
    expect(new Set(writes.map((w) => w.kind))).toEqual(
      new Set(['create', 'edit', 'interaction-response', 'follow-up']),
    );
    expect(writes.filter((w) => w.repliesTo !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(writes.some((w) => w.content?.includes('@everyone'))).toBe(true);
    for (const write of writes) {
      const what = `${write.call.method} ${write.call.path}: ${write.content?.slice(0, 60)}`;
      expect(write.allowedMentions, what).toBeDefined();
      expect(write.allowedMentions?.parse ?? [], what).toEqual([]);
      expect(write.allowedMentions?.users ?? [], what).toEqual([]);
      expect(write.allowedMentions?.roles ?? [], what).toEqual([]);
      if (write.repliesTo !== undefined) expect(write.allowedMentions?.replied_user, what).toBe(false);
      expect(write.pings, what).toEqual({ users: [], roles: [], everyone: false, repliedUser: false });
    }
  });

  it('redacts a known secret from the answer, the tool lines, the attached output and the thread name', async () => {
    const secret = 'mlib-test-secret-5f1c9a7e2b40';
    h = await startDiscordHarness({ tools: [echoTool], redact: createRedactor([secret]) });
    const harness = h;
    h.llm.enqueue(
      { toolCalls: [{ name: 'echo', input: { text: `token=${secret} ${'row '.repeat(500)}` } }] },
      { text: `The key was ${secret}, keep it safe.` },
    );
    const mention = h.discord.gateway.sendMessage({ content: `use ${secret} to train`, mentionsBot: true });
    const thread = await threadOf(harness, mention.id);
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('keep it safe')));
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Done')));

    // The texts did go out, with the secret replaced.
    expect(botTexts(h, thread.id).some((t) => t.includes(`The key was ${REDACTED}`))).toBe(true);
    expect(botTexts(h, thread.id).some((t) => t.includes(`token=${REDACTED}`))).toBe(true);
    const attached = h.discord.channelMessages(thread.id).flatMap((m) => m.attachments);
    expect(attached.map((a) => a.bytes.toString('utf8')).join('')).toContain(`token=${REDACTED}`);
    expect(h.discord.channel(thread.id)?.name).toBe(`use ${REDACTED} to train`);
    // Nothing the bot sent to Discord carried it, in any request body or upload.
    for (const call of h.discord.calls) {
      expect(JSON.stringify(call.body ?? null)).not.toContain(secret);
      for (const file of call.files) expect(file.bytes.toString('utf8')).not.toContain(secret);
    }
  });

  it('counts Discord API calls, 429s and retries', async () => {
    h = await startDiscordHarness();
    const harness = h;
    h.llm.enqueue({ text: 'Counted.' });
    h.discord.failNext('POST /channels/:id/messages', { status: 429, retryAfterSec: 1 });
    h.discord.failNext('POST /channels/:id/typing', { status: 502 });
    const mention = h.discord.gateway.sendMessage({ content: 'count', mentionsBot: true });
    const thread = await threadOf(harness, mention.id);
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Counted.')), 15_000);
    await eventually(() => botTexts(harness, thread.id).some((t) => t.includes('Done')));
    // Typing is not awaited by the renderer: wait for its retry to have been answered.
    await eventually(() => harness.metrics.apiRetries.length >= 2);

    const calls = h.metrics.apiCalls;
    expect(calls.every((c) => c.service === 'discord')).toBe(true);
    expect(calls).toContainEqual({
      service: 'discord',
      method: 'POST /channels/:id/messages',
      outcome: 'rate_limited',
    });
    expect(calls).toContainEqual({
      service: 'discord',
      method: 'POST /channels/:id/typing',
      outcome: 'error',
    });
    expect(calls).toContainEqual({
      service: 'discord',
      method: 'POST /channels/:id/messages',
      outcome: 'ok',
    });
    expect(calls).toContainEqual({ service: 'discord', method: 'GET /gateway/bot', outcome: 'ok' });
    // One retry after the 429, one after the 502.
    expect(h.metrics.apiRetries).toEqual(['discord', 'discord']);
  });
});
