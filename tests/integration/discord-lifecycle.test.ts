import { afterEach, describe, expect, it } from 'vitest';
import { DISCORD_IDS } from '../fakes/fake-discord.js';
import type { FakeDiscordMessage } from '../fakes/fake-discord.js';
import { startDiscordHarness, type DiscordHarness } from '../helpers/discord-harness.js';
import { eventually } from '../helpers/slack-harness.js';

let h: DiscordHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The bot's status messages in a thread (the ones that start with a status emoji), oldest first. */
function statuses(harness: DiscordHarness, threadId: string): FakeDiscordMessage[] {
  return harness.discord
    .channelMessages(threadId)
    .filter((m) => m.authorId === DISCORD_IDS.bot && /^(⏳|✅|⏹️|⚠️|✋)/u.test(m.contentHistory[0] ?? ''));
}

describe('discord: connection and the end of operations', () => {
  it('says it is connected only while the gateway is, and again once it has resumed', async () => {
    h = await startDiscordHarness();
    const harness = h;
    expect(h.adapter.connected()).toBe(true);
    h.discord.gateway.holdConnections();
    h.discord.gateway.disconnect();
    await eventually(() => !harness.adapter.connected());
    h.discord.gateway.releaseConnections();
    await eventually(() => harness.adapter.connected());
    // It really is back: a mention is answered.
    h.llm.enqueue({ text: 'Back.' });
    const mention = h.discord.gateway.sendMessage({ content: 'there?', mentionsBot: true });
    await eventually(() =>
      harness.discord.channelMessages(mention.id).some((m) => m.content.includes('Back.')),
    );
  });

  it('ends every operation on operation_complete: a turn with its usage, and an undo', async () => {
    h = await startDiscordHarness();
    const harness = h;
    h.llm.enqueue({ text: 'First answer.' });
    const mention = h.discord.gateway.sendMessage({ content: 'start', mentionsBot: true });
    const thread = await eventually(() => harness.discord.threads.find((t) => t.id === mention.id));
    const turn = await eventually(() =>
      statuses(harness, thread.id).find((m) => m.content.startsWith('✅ Done')),
    );
    expect(turn.content).toMatch(/tokens · \$/);
    expect(turn.components).toEqual([]);

    h.discord.gateway.runSlashCommand({ channelId: thread.id, name: 'intern', subcommand: 'undo' });
    await eventually(() =>
      harness.discord.channelMessages(thread.id).some((m) => m.content.includes('Undone')),
    );
    // The undo's own status message leaves "Working…" and loses its Stop button.
    const undo = await eventually(() => {
      const last = statuses(harness, thread.id).at(-1);
      return last !== turn && last?.content === '✅ Done' ? last : undefined;
    });
    expect(undo.contentHistory[0]).toMatch(/^⏳/u);
    expect(undo.components).toEqual([]);
  });
});
