import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  findCut,
  fitsOneMessage,
  reopenAfter,
  sectionBlocks,
  sectionMessages,
  SLACK_LIMITS,
  splitForSlack,
  toMrkdwn,
  truncateText,
} from '../../adapters/slack/render/mrkdwn.js';
import { markdownPieces, MrkdwnConverter } from '../../adapters/slack/render/mrkdwn-converter.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Fence lines in a piece: balanced means an even number (every opener closed). */
function fenceLines(piece: string): string[] {
  return piece.split('\n').filter((l) => FENCE.test(l));
}

/** The text without fence lines or whitespace: what splitting must neither lose nor duplicate. */
function content(text: string): string {
  return text
    .split('\n')
    .filter((l) => !FENCE.test(l))
    .join('')
    .replace(/\s+/g, '');
}

/** A deterministic pseudo-random generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function randomMarkdown(rand: () => number, paragraphs: number): string {
  const word = (): string => 'lorem ipsum dolor sit amet tensor gradient'.split(' ')[Math.floor(rand() * 7)]!;
  const line = (words: number): string => Array.from({ length: words }, word).join(' ');
  const parts: string[] = [];
  for (let p = 0; p < paragraphs; p += 1) {
    const r = rand();
    if (r < 0.3) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => `x = ${line(3)}`);
      parts.push(['```python', ...lines, '```'].join('\n'));
    } else if (r < 0.4) {
      parts.push(line(200 + Math.floor(rand() * 400))); // one very long line
    } else {
      parts.push(Array.from({ length: 1 + Math.floor(rand() * 6) }, () => line(12)).join('\n'));
    }
  }
  return parts.join('\n\n');
}

describe('toMrkdwn', () => {
  it('converts Markdown to Slack mrkdwn', () => {
    const out = toMrkdwn('# Title\n\nSome **bold** and a [link](https://hf.co).');
    expect(out).toContain('*Title*');
    expect(out).toContain('*bold*');
    expect(out).toContain('<https://hf.co|link>');
    expect(out.endsWith('\n')).toBe(false);
  });

  it('gives an empty string for blank text', () => {
    expect(toMrkdwn('  \n\n ')).toBe('');
  });
});

describe('splitForSlack', () => {
  it('keeps a short text whole', () => {
    expect(splitForSlack('hello\n\nworld', 100)).toEqual(['hello\n\nworld']);
  });

  it('splits at paragraph boundaries when it can', () => {
    const para = (c: string): string => `${c.repeat(30)}\n${c.repeat(30)}`;
    const text = [para('a'), para('b'), para('c')].join('\n\n');
    const pieces = splitForSlack(text, 130);
    expect(pieces).toEqual([`${para('a')}\n\n${para('b')}`, para('c')]);
  });

  it('closes a code fence at the cut and reopens it with its language in the next piece', () => {
    const code = Array.from({ length: 60 }, (_, i) => `print(${i})`).join('\n');
    const text = `Here is the script:\n\n\`\`\`python\n${code}\n\`\`\`\n\nDone.`;
    const pieces = splitForSlack(text, 300);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(300);
      expect(fenceLines(piece).length % 2).toBe(0);
    }
    expect(pieces[1]!.startsWith('```python\n')).toBe(true);
    expect(content(pieces.join('\n'))).toBe(content(text));
  });

  it('cuts a line longer than the limit at a space, or at the limit', () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    const pieces = splitForSlack(words, 100);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(100);
    expect(pieces.join(' ').split(/\s+/)).toEqual(words.split(' '));
    const solid = 'x'.repeat(250);
    expect(splitForSlack(solid, 100)).toEqual(['x'.repeat(100), 'x'.repeat(100), 'x'.repeat(50)]);
  });

  it('never splits a surrogate pair', () => {
    const text = '🙂'.repeat(100); // 200 UTF-16 units
    const pieces = splitForSlack(text, 51);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(51);
  });

  it('respects the limit, balances fences and keeps every character, on random Markdown', () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const rand = random(seed);
      const text = randomMarkdown(rand, 5 + Math.floor(rand() * 30));
      const limit = 300 + Math.floor(rand() * 3_000);
      const pieces = splitForSlack(text, limit);
      for (const piece of pieces) {
        expect(piece.length, `seed ${seed}`).toBeLessThanOrEqual(limit);
        expect(fenceLines(piece).length % 2, `seed ${seed}`).toBe(0);
      }
      expect(content(pieces.join('\n')), `seed ${seed}`).toBe(content(text));
    }
  });
});

describe('findCut', () => {
  it('is undefined when the text fits', () => {
    expect(findCut('abc', 3)).toBeUndefined();
  });

  it('never cuts before minAt', () => {
    const text = `${'a'.repeat(50)}\n\n${'b'.repeat(100)}\n${'c'.repeat(100)}`;
    const cut = findCut(text, 200, 120);
    expect(cut!.at).toBeGreaterThanOrEqual(120);
    expect(cut!.at).toBeLessThanOrEqual(200);
  });
});

describe('reopenAfter', () => {
  it('names the fence a text ends inside', () => {
    expect(reopenAfter('intro\n```bash\nls -la\n')).toBe('```bash\n');
    expect(reopenAfter('```bash\nls\n```\nafter')).toBe('');
  });
});

describe('markdownPieces', () => {
  it('keeps each converted piece within the limit even when conversion lengthens it', () => {
    const text = Array.from({ length: 400 }, () => 'a & b < c > d').join('\n');
    const pieces = markdownPieces(text, 1_000);
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(1_000);
    expect(pieces.join('\n').split('&amp;').length - 1).toBe(400);
  });
});

describe('MrkdwnConverter', () => {
  it('converts block by block to the same mrkdwn as converting the whole text', () => {
    const text = [
      '# Plan',
      'Some **bold**, `code` and a [link](https://hf.co) & <more>.',
      '```python\nx = 1\n\n\ny = 2\n```',
      '- one\n- two',
      '> quoted\n> twice',
    ].join('\n\n');
    const converter = new MrkdwnConverter();
    expect(converter.convert(text)).toBe(toMrkdwn(text));
    expect(converter.convert(`${text}\n\nmore`)).toBe(toMrkdwn(`${text}\n\nmore`));
  });

  it('cuts so that the converted first piece fits, between blocks or inside one', () => {
    const converter = new MrkdwnConverter();
    const text = Array.from({ length: 50 }, (_, i) => `Paragraph ${i} **with** ${'words '.repeat(30)}`).join(
      '\n\n',
    );
    const cut = converter.cut(text, 2_000)!;
    const head = text.slice(0, cut.at) + cut.close;
    expect(converter.convert(head).length).toBeLessThanOrEqual(2_000);
    expect(converter.convert(head).length).toBeGreaterThan(1_000);
    expect(text.slice(cut.at).startsWith('Paragraph')).toBe(true);
    const code = `\`\`\`js\n${'console.log(1);\n'.repeat(500)}\`\`\``;
    const inside = converter.cut(code, 3_000)!;
    expect(inside.reopen).toBe('```js\n');
    expect(converter.convert(code.slice(0, inside.at) + inside.close).length).toBeLessThanOrEqual(3_000);
    expect(converter.cut('short', 100)).toBeUndefined();
  });
});

describe('sectionBlocks and sectionMessages', () => {
  it('makes section blocks of at most 3,000 characters', () => {
    const text = randomMarkdown(random(7), 60);
    const blocks = sectionBlocks(text);
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) {
      expect(block.type).toBe('section');
      expect(block.text?.type).toBe('mrkdwn');
      expect(block.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
  });

  it('starts a new message before 50 blocks or 40,000 characters', () => {
    const paragraphs = Array.from({ length: 200 }, (_, i) => `${i} ${'word '.repeat(500)}`);
    const messages = sectionMessages(paragraphs.join('\n\n'));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(fitsOneMessage(message)).toBe(true);
      expect(message.blocks!.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
    }
    const many = sectionMessages(Array.from({ length: 120 }, () => 'x'.repeat(2_900)).join('\n\n'));
    expect(many.map((m) => m.blocks!.length).every((n) => n <= 50)).toBe(true);
  });

  it('says when content does not fit one message', () => {
    expect(fitsOneMessage({ text: 'x'.repeat(40_001) })).toBe(false);
    expect(
      fitsOneMessage({ text: 'ok', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    ).toBe(false);
    expect(fitsOneMessage({ text: 'ok' })).toBe(true);
  });
});

describe('text helpers', () => {
  it('escapes Slack markup in untrusted text', () => {
    expect(escapeMrkdwn('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });

  it('truncates with an ellipsis', () => {
    expect(truncateText('abcdef', 4)).toBe('abc…');
    expect(truncateText('abc', 4)).toBe('abc');
  });
});
