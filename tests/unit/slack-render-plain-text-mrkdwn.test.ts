import { describe, expect, it } from 'vitest';
import { convertMarkdown, toMrkdwn } from '../../adapters/slack/render/mrkdwn.js';
import { plainTextMrkdwn } from '../../adapters/slack/render/plain-text-mrkdwn.js';

/**
 * A deterministic pseudo-random generator (mulberry32), so a failing case can be replayed. In
 * 32-bit integer arithmetic: an LCG in floating point loses bits and soon repeats itself.
 */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

/**
 * Pieces made of the characters the shortcut allows, among them what it must still refuse where
 * it stands (line-start markers, spaces at line edges, entities, autolink starts), so that random
 * joins build near-misses the hand-picked lists did not think of.
 */
const ATOMS = [
  ...['a', 'Z', 'word', 'The', 'é', 'ß', '日本', 'Ω', 'данные', '١٣', 'e\u0301', 'x', 'GPU'],
  ...['0', '1', '2', '9', '10', '3.5', '81%'],
  ...['.', ',', ';', ':', '!', '?', "'", '"', '(', ')', '-', '/', '%', '+', '=', '#', '&', '$'],
  ...['‘', '’', '“', '”', '—', '–', '…', '·', '•', '°', '×', '€', '→', '≤'],
  ...['✅', '✅\ufe0f', '👍🏽', '👨\u200d👩\u200d👧'],
  ...[' ', ' ', ' ', '  ', '\n', '\n', '\n\n', '\n\n\n', ' \n'],
  ...['1.', '2)', '1. ', '- ', '-', '--', '+ ', '# ', '=', '==', '\n-', '\n=', '\n1. ', '\n# '],
  ...['&amp;', '&x', 'R&D', 'AT&T;', '&#1', 'amp;', '#x4;'],
  ...['www', 'www.', 'WWW.', 'http', '://', 'https:', '//', 'ww.'],
];
/** Characters the shortcut never allows, alone and as the markup they make, mixed in now and then. */
const FOREIGN = [
  ...['*', '_', '~', '`', '[', ']', '<', '>', '\\', '|', '@', '\t', '\r', '\u00a0', '\uE000'],
  ...['*b*', '_i_', '~~s~~', '`c`', '[l](x)', '<b>', 'me@x.io', '<@U1>', '\\*', '|--|'],
];

/** A text of 1–24 random pieces, one in fifty of them foreign. */
function atomText(next: () => number): string {
  let text = '';
  const length = 1 + Math.floor(next() * 24);
  for (let i = 0; i < length; i++) text += pick(next, next() < 0.02 ? FOREIGN : ATOMS);
  return text;
}

/** Words that may start a line, and words that may only follow one (`+3` would start a list). */
const STARTERS = [
  ...['The', 'Loss', 'Accuracy', 'Next', 'I', 'It’s', '“Quoted”', '(See', 'Naïve', '日本語', '✅'],
];
const WORDS = [
  ...['the', 'model', 'loss', 'epoch', 'Hub', 'dataset', 'données', 'Straße', 'данные', '٣', 'A10G'],
  ...['42', '3.5', '81.2%', '2e-5', 'e.g.', 'and/or', 'well-known', 'R&D', 'then;', 'x=1', '+3'],
  ...['#12', 'C#', '$5', '—', '…', '(85.1%)', 'it’s', "don't", '"done"', '👍🏽', '🚀', '1.', '2)'],
  ...['-', '=', '#'],
];
const ENDINGS = ['.', '!', '?', ':', ',', '…', ''];

/** Prose the way answers are written: sentences, lines, paragraphs, sometimes a dangling space. */
function proseText(next: () => number): string {
  const paragraphs: string[] = [];
  for (let p = 0, count = 1 + Math.floor(next() * 3); p < count; p++) {
    const lines: string[] = [];
    for (let l = 0, lineCount = 1 + Math.floor(next() * 3); l < lineCount; l++) {
      const words = [pick(next, STARTERS)];
      for (let w = 0, length = Math.floor(next() * 14); w < length; w++) words.push(pick(next, WORDS));
      lines.push(words.join(' ') + pick(next, ENDINGS));
    }
    paragraphs.push(lines.join('\n'));
  }
  const gaps = ['\n\n', '\n\n', '\n\n\n', '\n\n\n\n'];
  const joined = paragraphs.reduce((text, paragraph) => `${text}${pick(next, gaps)}${paragraph}`);
  return pick(next, ['', '\n', '\n\n']) + joined + pick(next, ['', ' ', '  ', '\n', ' \n\n', '\n\n\n']);
}

/** Near-misses where taking the text as it is would be wrong: the converter changes them. */
const CHANGED_BY_CONVERTER = [
  ...['a *b* c', 'a **b** c', 'a _b_ c', '___', '~~gone~~', 'a ~b~ c', 'a\\*b', 'x\u0000y'],
  ...['[a](https://x.y)', '![img](x.png)', 'a < b', 'a > b', 'x<y', '\uE000'],
  ...['&amp;', '&copy;', '&#65;', '&#x41;', 'fish &amp; chips'],
  ...['http://x.y', 'https://example.com/a', 'HTTPS://EXAMPLE.COM', 'www.example.com', 'WWW.Example.com'],
  ...['me@example.com', 'write to ops@example.org today'],
  ...['# Heading', '## two', '- item', '+ item', '1. item', '1) item', 'Résumé: ok\n\n- no'],
  ...['foo\n---', 'foo\n===', 'foo\n-', 'foo\n=', 'a | b\n-- | --'],
  ...['    code', '  two spaces', '\tTab', 'a  \nb', 'a \nb', 'x   \n\ny', 'a\n   \nb'],
];

/** Near-misses the converter happens to keep, left to it all the same: the rules stay simple. */
const KEPT_FROM_SHORTCUT = [
  ...['snake_case_name', 'use `x` here', '[ref]', 'see [1]', '<b>bold</b>', '> quoted', 'a^[note]'],
  ...['AT&T;', 'ftp://host', 'ping @here', '<@U123>', '<!here>', '<#C1|general>', 'a | b', '| a | b |'],
  ...['-item', '--', '#hashtag', '12. item', '1.', '***', 'a\\\nb', 'a\tb', 'a\r\nb', 'a\rb'],
  ...['x\u00a0y', '\u00a0lead', 'x\u200by', 'a\u2028b', ' lead', 'a{b}'],
];

/** The text taken as it is (ends trimmed, blank-line runs collapsed, `&` escaped). */
function asIs(text: string): string {
  return text
    .replace(/^\n+/, '')
    .replace(/[ \n]+$/, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/&/g, '&amp;');
}

describe('plainTextMrkdwn', () => {
  it('equals the converter on every random text it takes, and leaves the rest to it', () => {
    const next = random(20_240_611);
    let taken = 0;
    const total = 20_000;
    for (let i = 0; i < total; i++) {
      const text = atomText(next);
      const shortcut = plainTextMrkdwn(text);
      if (shortcut === undefined) continue;
      taken += 1;
      expect({ text, mrkdwn: shortcut }).toEqual({ text, mrkdwn: convertMarkdown(text) });
    }
    // Not vacuous either way: both sides of the decision are exercised.
    expect(taken).toBeGreaterThan(total * 0.1);
    expect(taken).toBeLessThan(total * 0.9);
  });

  it('takes prose as answers write it, and equals the converter on it', () => {
    const next = random(7);
    for (let i = 0; i < 2_000; i++) {
      const text = proseText(next);
      const shortcut = plainTextMrkdwn(text);
      expect({ text, mrkdwn: shortcut }).toEqual({ text, mrkdwn: convertMarkdown(text) });
    }
  });

  it('leaves near-misses to the converter', () => {
    for (const text of [...CHANGED_BY_CONVERTER, ...KEPT_FROM_SHORTCUT]) {
      expect({ text, taken: plainTextMrkdwn(text) !== undefined }).toEqual({ text, taken: false });
      expect(toMrkdwn(text)).toBe(convertMarkdown(text));
    }
    // The first list is what the rules are for: each would come out wrong taken as it is.
    for (const text of CHANGED_BY_CONVERTER) {
      expect({ text, same: asIs(text) === convertMarkdown(text) }).toEqual({ text, same: false });
    }
  });

  it('escapes &, trims the ends, and collapses blank lines as the converter does', () => {
    const text = '\n\nR&D spent 5% more.\nIt’s “fine” — 👍🏽\n\n\n\nNext: ship it!  \n\n';
    expect(plainTextMrkdwn(text)).toBe('R&amp;D spent 5% more.\nIt’s “fine” — 👍🏽\n\nNext: ship it!');
    expect(convertMarkdown(text)).toBe(plainTextMrkdwn(text));
    expect(toMrkdwn(text)).toBe(plainTextMrkdwn(text));
  });
});
