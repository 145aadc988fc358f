/**
 * Slack's own markup inside text: `<@U123>` user mentions, `<#C123|general>` channel links,
 * `<https://…|label>` links, `<!here>`-style specials. A Markdown converter knows none of it (it
 * escapes the angle brackets), and a splitter that cuts inside one leaves two broken halves, so the
 * renderer finds these tokens itself: to carry them through conversion unchanged, and to cut text
 * only between them.
 */

/** A label after `|`: anything on one line but angle brackets (Slack ends the token at `>`). */
const LABEL = String.raw`(?:\|[^<>\n]*)?`;

/**
 * One Slack token: user mention, channel link, special (`<!…>`), or a link to an `http(s)` /
 * `mailto` address (no spaces in the address). Ids are taken loosely (any run without spaces):
 * whatever Slack might read as a mention is found, and judged by the guard.
 */
const TOKEN_SOURCE = [
  String.raw`<@[^<>|\s]+${LABEL}>`,
  String.raw`<#[^<>|\s]+${LABEL}>`,
  // Slack reads a special up to the first `>`: `<!channel<x>` is judged as one.
  String.raw`<![A-Za-z][^>\n]*>`,
  String.raw`<(?:https?:\/\/|mailto:)[^<>|\s]+${LABEL}>`,
].join('|');

/** Every Slack token in a text (global: reset `lastIndex` or use `matchAll`). */
export function slackTokenPattern(): RegExp {
  return new RegExp(TOKEN_SOURCE, 'g');
}

/**
 * What a cut must not fall inside: Slack tokens, Markdown links `[text](url)` (one line), and the
 * HTML entities of mrkdwn (`&amp;`, `&lt;`, `&gt;`).
 */
const ATOMIC = new RegExp(`${TOKEN_SOURCE}|\\[[^\\[\\]\\n]*\\]\\([^()\\s]*\\)|&(?:amp|lt|gt);`, 'g');

/** Longest token the renderer waits for when it may still be arriving (streamed text). */
export const MAX_TOKEN_CHARS = 600;

/**
 * The span `[start, end)` of the token or Markdown link that `at` falls strictly inside, or
 * undefined when `at` is between them. Only the line around `at` is scanned.
 */
export function atomicSpanAround(text: string, at: number): { start: number; end: number } | undefined {
  if (at <= 0 || at >= text.length) return undefined;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  const line = text.slice(lineStart, newline === -1 ? text.length : newline);
  for (const match of line.matchAll(ATOMIC)) {
    const start = lineStart + match.index;
    const end = start + match[0].length;
    if (start >= at) return undefined;
    if (end > at) return { start, end };
  }
  return undefined;
}

/**
 * `at` moved out of any token it falls inside: to the token's start when that is after `min`,
 * else to its end when that is at most `max`; unchanged when neither is possible (a token longer
 * than the room) or `at` is already between tokens.
 */
export function cutOutsideTokens(text: string, at: number, min: number, max: number): number {
  const span = atomicSpanAround(text, at);
  if (span === undefined) return at;
  if (span.start > min) return span.start;
  if (span.end <= max) return span.end;
  return at;
}

/**
 * True when `partial` (which starts with `<` and has no `>`) could still become a Slack token as
 * more text arrives: a streamed `<@U12` must wait for its `>` before it is rendered or guarded.
 */
export function couldBecomeToken(partial: string): boolean {
  if (!partial.startsWith('<') || partial.includes('>') || partial.includes('\n')) return false;
  if (partial.length > MAX_TOKEN_CHARS) return false;
  const rest = partial.slice(1);
  if (rest === '') return true;
  // Slack reads a special up to the first `>`, whatever is in it; `<!--` is no special.
  if (rest[0] === '!') return rest.length === 1 || /^![A-Za-z]/.test(rest);
  const [head = '', ...labelParts] = rest.split('|');
  if (labelParts.join('|').includes('<')) return false;
  switch (rest[0]) {
    case '@':
    case '#':
      return !/\s/.test(head);
    default: {
      if (/\s/.test(head)) return false;
      const scheme = ['https://', 'http://', 'mailto:'];
      return scheme.some((s) => s.startsWith(head) || head.startsWith(s));
    }
  }
}

/** Private-use characters that mark a protected token; removed from input so text cannot forge one. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKER = /\uE000(\d+)\uE001/g;

/**
 * Replaces every Slack token by a stand-in a Markdown converter leaves alone, and gives the
 * function that puts the tokens back into the converter's output.
 */
export function protectTokens(text: string): { text: string; restore: (converted: string) => string } {
  const tokens: string[] = [];
  const protectedText = text
    .replace(/[\uE000\uE001]/g, '')
    .replace(slackTokenPattern(), (token) => `${OPEN}${tokens.push(token) - 1}${CLOSE}`);
  return {
    text: protectedText,
    restore: (converted) =>
      tokens.length === 0 ? converted : converted.replace(MARKER, (m, i: string) => tokens[Number(i)] ?? m),
  };
}

/**
 * Slack links as standard Markdown, for the places Slack renders Markdown rather than mrkdwn
 * (streamed `markdown_text`): `<url|label>` → `[label](url)`, `<url>` stays (a CommonMark autolink).
 * Mentions and channel links are left as they are.
 */
export function slackLinksToMarkdown(text: string): string {
  return text.replace(slackTokenPattern(), (token) => {
    const match = /^<((?:https?:\/\/|mailto:)[^<>|\s]+)\|([^<>\n]*)>$/.exec(token);
    if (match === null) return token;
    const [, url = '', label = ''] = match;
    if (label.trim() === '') return `<${url}>`;
    const safeUrl = url.replace(/\(/g, '%28').replace(/\)/g, '%29');
    return `[${label.replace(/([[\]\\])/g, '\\$1')}](${safeUrl})`;
  });
}
