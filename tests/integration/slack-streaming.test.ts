import { afterEach, describe, expect, it } from 'vitest';
import { appMention, eventCallback, DEFAULT_IDENTITY } from '../fakes/fake-slack.js';
import { eventually, startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';

const BOT = DEFAULT_IDENTITY.botUserId;
let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** All the text a thread's bot messages hold, streams included. */
function threadText(harness: SlackHarness, channel: string, threadTs: string): string {
  return harness.slack
    .thread(channel, threadTs)
    .filter((m) => m.user === BOT && m.stream !== undefined)
    .map((m) => m.text)
    .join('');
}

describe('slack: streaming messages', () => {
  it('streams an answer with chat.startStream / appendStream / stopStream', async () => {
    h = await startSlackHarness({ adapter: { streaming: true } });
    const harness = h;
    const answer = 'The plan: ' + 'step '.repeat(200);
    h.llm.enqueue({ text: answer, textChunkChars: 20, chunkDelayMs: 5 });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> plan` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await eventually(() => harness.slack.callsOf('chat.stopStream').length > 0);
    expect(threadText(harness, 'C1', mention.ts)).toBe(answer);
    const start = h.slack.callsOf('chat.startStream')[0]!;
    expect(start.args).toMatchObject({
      recipient_user_id: 'U1',
      recipient_team_id: DEFAULT_IDENTITY.teamId,
      thread_ts: mention.ts,
    });
  });

  it('continues in a new stream when Slack expires the first one, losing and repeating nothing', async () => {
    h = await startSlackHarness({ adapter: { streaming: true } });
    const harness = h;
    const answer = Array.from({ length: 60 }, (_, i) => `part${i} `).join('');
    h.llm.enqueue({ text: answer, textChunkChars: 7, chunkDelayMs: 40 });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> long` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await eventually(() => harness.slack.callsOf('chat.appendStream').length >= 1);
    h.slack.expireStreams();
    await eventually(() => harness.slack.callsOf('chat.startStream').length >= 2, 15_000);
    await eventually(() => harness.slack.callsOf('chat.stopStream').length > 0, 15_000);
    expect(threadText(harness, 'C1', mention.ts)).toBe(answer);
  });
});
