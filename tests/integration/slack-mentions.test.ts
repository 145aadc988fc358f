import { afterEach, describe, expect, it } from 'vitest';
import { appMention, channelMessage, eventCallback, DEFAULT_IDENTITY } from '../fakes/fake-slack.js';
import type { FakeCall } from '../fakes/fake-slack.js';
import { eventually, startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';

/**
 * What the model writes reaches Slack with its links intact and its pings limited: an answer that
 * echoes `<!channel>`, `<!here>` and 200 user mentions notifies nobody but the thread's participants,
 * a handful at most — through both answer paths (post-then-edit and `chat.startStream`).
 */

const BOT = DEFAULT_IDENTITY.botUserId;
const OWNER = 'U0OWNER';
const PEER = 'U0PEER';
const CROWD = Array.from({ length: 200 }, (_, i) => `<@U${1000 + i}>`).join(' ');
const ANSWER =
  `Done! <!channel> <!here> <!everyone> <!subteam^S0MLTEAM|@ml-team> @channel @here, look.\n\n${CROWD}\n\n` +
  `Thanks <@${OWNER}> and <@${PEER}>: <@${OWNER}> <@${PEER}> <@${OWNER}> <@${PEER}>.\n\n` +
  'See <https://huggingface.co/docs/peft|the PEFT docs>, <https://arxiv.org/abs/2106.09685> and ' +
  '[the paper](https://arxiv.org/abs/2106.09685v2), in <#C0GENERAL>.';

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CHAT_METHODS = [
  'chat.postMessage',
  'chat.update',
  'chat.startStream',
  'chat.appendStream',
  'chat.stopStream',
];

/** Every chat call the bot made, as the JSON of its arguments (text, markdown, blocks, chunks). */
function sent(harness: SlackHarness): string[] {
  return harness.slack.calls
    .filter((c: FakeCall) => CHAT_METHODS.includes(c.method))
    .map((c) => JSON.stringify(c.args));
}

/** The user ids a text mentions (`<@U…>`, a ping). */
const mentioned = (text: string): string[] =>
  [...text.matchAll(/<@([UW][A-Z0-9]+)[^>]*>/g)].map((m) => m[1]!);

describe.each([
  { mode: 'post-then-edit', streaming: false },
  { mode: 'streaming', streaming: true },
])('slack: mentions and links in model text ($mode)', ({ streaming }) => {
  it('neutralises broadcasts, pings only participants (at most 5), and keeps links', async () => {
    h = await startSlackHarness({ adapter: { streaming } });
    const harness = h;
    h.llm.enqueue({ text: 'Hi.' }, { text: ANSWER, textChunkChars: 5 });
    const mention = appMention({ user: OWNER, channel: 'C1', text: `<@${BOT}> train a model` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await eventually(() => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('Hi.')));
    // A second person writes in the thread: now a participant.
    const reply = channelMessage({ user: PEER, channel: 'C1', text: 'how did it go?', threadTs: mention.ts });
    await h.slack.socket.sendEventsApi(eventCallback(reply));
    const answer = await eventually(() =>
      harness.slack
        .thread('C1', mention.ts)
        .find(
          (m) =>
            m.user === BOT &&
            m.text.includes('#C0GENERAL') &&
            (!streaming || m.stream?.state === 'completed'),
        ),
    );

    const calls = sent(harness);
    expect(calls.length).toBeGreaterThan(0);
    for (const args of calls) {
      expect(args).not.toMatch(/<!(channel|here|everyone|subteam)/);
      expect(args).not.toMatch(/@(channel|here|everyone)\b/);
      expect(mentioned(args).length).toBeLessThanOrEqual(5);
      for (const id of mentioned(args)) expect([OWNER, PEER]).toContain(id);
    }
    // What the thread shows: the participants pinged, the crowd shown as plain names, links whole.
    expect(mentioned(answer.text)).toEqual([OWNER, PEER, OWNER, PEER, OWNER]);
    expect(answer.text).toContain('@\u200DU1199');
    expect(answer.text).toContain('@\u200Dchannel');
    expect(answer.text).toContain('<#C0GENERAL>');
    expect(answer.text).toContain('<https://arxiv.org/abs/2106.09685>');
    if (streaming) {
      expect(answer.text).toContain('[the PEFT docs](https://huggingface.co/docs/peft)');
      expect(answer.text).toContain('[the paper](https://arxiv.org/abs/2106.09685v2)');
    } else {
      expect(answer.text).toContain('<https://huggingface.co/docs/peft|the PEFT docs>');
      expect(answer.text).toContain('<https://arxiv.org/abs/2106.09685v2|the paper>');
    }
  });
});
