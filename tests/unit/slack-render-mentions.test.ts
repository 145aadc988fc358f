import { describe, expect, it } from 'vitest';
import { answerMessages, cardBlocks, planContent, toolLinesContent } from '../../adapters/slack/card-view.js';
import {
  GuardedStream,
  MAX_MODEL_MENTIONS,
  MentionGuard,
  type MentionPolicy,
} from '../../adapters/slack/render/mention-guard.js';
import { markdownPieces, MrkdwnConverter } from '../../adapters/slack/render/mrkdwn-converter.js';
import { sectionMessages, splitForSlack, toMrkdwn } from '../../adapters/slack/render/mrkdwn.js';
import { slackLinksToMarkdown, slackTokenPattern } from '../../adapters/slack/render/slack-tokens.js';

const policy = (...users: string[]): MentionPolicy => ({
  allowedUsers: new Set(users),
  maxMentions: MAX_MODEL_MENTIONS,
});

/** Mentions that would notify someone: user mentions and every `<!…>` but dates. */
function pings(text: string): string[] {
  return [...text.matchAll(/<[@!][^<>]*>/g)].map((m) => m[0]).filter((t) => !t.startsWith('<!date^'));
}

/** True when every `<` in the piece is closed by a `>` in it, and no `>` opens it (a token cut in two). */
function tokensWhole(piece: string): boolean {
  return !/<[^>]*$/.test(piece) && !/^[^<]*>/.test(piece);
}

/** Slack-style tokens, in order. */
const tokensOf = (text: string): string[] => [...text.matchAll(slackTokenPattern())].map((m) => m[0]);

describe('Slack markup through the mrkdwn conversion', () => {
  it('keeps mentions, channel links and Slack links; Markdown links still become Slack links', () => {
    const markdown =
      'Ask <@U123> or <@W9ABC|bob> in <#C1> / <#C2|general>: see <https://hf.co/docs?a=1&b=2|the docs>, ' +
      '<https://arxiv.org/abs/2106.09685> and [LoRA](https://arxiv.org/abs/2106.09685). **<@U123>** a < b.';
    const out = toMrkdwn(markdown);
    for (const token of [
      '<@U123>',
      '<@W9ABC|bob>',
      '<#C1>',
      '<#C2|general>',
      '<https://hf.co/docs?a=1&b=2|the docs>',
      '<https://arxiv.org/abs/2106.09685>',
      '<https://arxiv.org/abs/2106.09685|LoRA>',
    ])
      expect(out).toContain(token);
    expect(out).not.toContain('&gt;');
    expect(out).toContain('a &lt; b');
    expect(out).toContain('*<@U123>*');
  });

  it('cannot be fooled into restoring a token by text that imitates the placeholder', () => {
    expect(toMrkdwn('x \uE0000\uE001 <@U1>')).toBe('x 0 <@U1>');
  });

  it('never cuts inside a token or a Markdown link, whatever the limit', () => {
    const line = Array.from(
      { length: 80 },
      (_, i) => `<https://example.com/p${i}|link number ${i}> [md ${i}](https://x.io/${i}) <@U${i}X>`,
    ).join(' ');
    for (const limit of [150, 1_000]) {
      const pieces = splitForSlack(line, limit);
      expect(pieces.every(tokensWhole)).toBe(true);
      expect(pieces.every((p) => p.length <= limit)).toBe(true);
      expect(tokensOf(pieces.join(' '))).toEqual(tokensOf(line));
      const converted = markdownPieces(line, limit);
      expect(converted.every(tokensWhole)).toBe(true);
      expect(converted.join(' ').match(/<https:\/\/example\.com/g)).toHaveLength(80);
    }
    const blocks = sectionMessages(toMrkdwn(line)).flatMap((m) => m.blocks ?? []);
    expect(blocks.every((b) => b.type !== 'section' || tokensWhole(b.text?.text ?? ''))).toBe(true);
  });

  it('converts a streamed answer that grows chunk by chunk to the same mrkdwn as the whole', () => {
    const answer =
      'Intro for <@U1>.\n\nSee <https://hf.co/blog/lora|the LoRA blog post> and [docs](https://hf.co/docs).\n\n' +
      '- <#C1|general>\n- <https://hf.co/models>';
    const converter = new MrkdwnConverter();
    const stream = new GuardedStream(policy('U1'));
    let guarded = '';
    for (let i = 0; i < answer.length; i += 3) {
      guarded += stream.push(answer.slice(i, i + 3));
      expect(tokensWhole(guarded.split('\n').at(-1) ?? '')).toBe(true);
      converter.convert(guarded); // each render sees a prefix that ends between tokens
    }
    guarded += stream.end();
    const out = converter.convert(guarded);
    expect(out).toBe(toMrkdwn(answer));
    for (const token of [
      '<@U1>',
      '<https://hf.co/blog/lora|the LoRA blog post>',
      '<https://hf.co/docs|docs>',
      '<#C1|general>',
      '<https://hf.co/models>',
    ])
      expect(out).toContain(token);
  });
});

describe('model text cannot ping a crowd', () => {
  const echoed = `<!channel> <!here> <!everyone> <!subteam^S0TEAM|@ml-team> <!here|here> <!channel<b>x> @channel @here @everyone ${Array.from(
    { length: 200 },
    (_, i) => `<@U${String(i).padStart(4, '0')}>`,
  ).join(' ')} <@U0OWNER> <@U0OWNER> <@U0BOB>`;

  it('neutralises broadcasts and renders only participants, at most a handful', () => {
    const out = new MentionGuard(policy('U0OWNER', 'U0BOB')).guard(echoed);
    expect(pings(out)).toEqual(['<@U0OWNER>', '<@U0OWNER>', '<@U0BOB>']);
    expect(out).not.toMatch(/(^|[^@\u200D])@(channel|here|everyone)\b/);
    expect(out).toContain('@\u200Dchannel');
    expect(out).toContain('@\u200Dml-team');
    expect(out).toContain('@\u200DU0199'); // shown, without a ping
    expect(out).not.toContain('<!'); // Slack reads `<!channel<b>` up to its `>`: neutralised too
    const many = new MentionGuard(policy('U0OWNER')).guard('<@U0OWNER> '.repeat(50));
    expect(pings(many)).toHaveLength(MAX_MODEL_MENTIONS);
    expect(new MentionGuard(policy('U0OWNER')).guard('a@here.com <!date^1700000000^{time}|x>')).toBe(
      'a@here.com <!date^1700000000^{time}|x>',
    );
  });

  it('guards a text split anywhere the same as the whole text', () => {
    const whole = new MentionGuard(policy('U0OWNER', 'U0BOB')).guard(echoed);
    for (const size of [1, 2, 3, 7, 50]) {
      const stream = new GuardedStream(policy('U0OWNER', 'U0BOB'));
      let out = '';
      for (let i = 0; i < echoed.length; i += size) out += stream.push(echoed.slice(i, i + size));
      expect(out + stream.end()).toBe(whole);
    }
  });

  it('guards answers, tool lines, plans and approval card arguments', () => {
    const answer = answerMessages(echoed, policy('U0OWNER'));
    expect(answer.flatMap((m) => [m.text, JSON.stringify(m.blocks)]).flatMap(pings)).toEqual([
      '<@U0OWNER>',
      '<@U0OWNER>',
      '<@U0OWNER>',
      '<@U0OWNER>',
    ]); // twice in `text`, twice in the blocks: one message
    const tools = toolLinesContent([
      { tool: 'web_search', args: { q: echoed }, state: 'completed', output: echoed },
    ]);
    expect(pings(tools.text)).toEqual([]);
    const plan = planContent([{ id: '1', content: `tell <!channel> and <@U0BOB>`, status: 'pending' }]);
    expect(pings(plan.text)).toEqual([]);
    const card = JSON.stringify(
      cardBlocks(
        's1',
        [{ toolCallId: 't', tool: 'hf_jobs', args: { command: echoed, note: '<!here>' } }],
        [],
        'U0OWNER',
      ),
    );
    // The card's own ping of the owner stays; the model's arguments ping nobody.
    expect(pings(card)).toEqual(['<@U0OWNER>']);
  });
});

describe('Slack links in streamed Markdown', () => {
  it('become Markdown links; mentions and bare links stay', () => {
    expect(slackLinksToMarkdown('<https://hf.co/a_(b)|the [docs]> <https://hf.co> <@U1> <#C1|x>')).toBe(
      '[the \\[docs\\]](https://hf.co/a_%28b%29) <https://hf.co> <@U1> <#C1|x>',
    );
  });
});
