/**
 * The mrkdwn of text in which Markdown (GFM included) can change nothing, without running the
 * converter. Every answer is converted on each post and edit (block by block, see
 * `MrkdwnConverter`), and much of an answer is plain paragraphs: remark takes ~0.3 ms for a
 * 500-character one (warm; more on long ones), this ~2 µs. On such text the converter only drops
 * the blank lines and spaces around the paragraphs, collapses runs of blank lines to one, and
 * escapes `&` (`<` and `>` are not plain), which is what this does.
 *
 * "Plain" is decided conservatively: only letters, marks, digits, emoji, spaces, newlines and the
 * punctuation in {@link PLAIN_CHARACTERS}; no line that starts with a space or with what could
 * open a block (`-`, `+`, `=`, `#`, `1.`, `1)`); no space before a line break (spaces may end the
 * text); no entity (`&name;`, `&#…`); nothing an autolink starts with (`://`, `www.`; `@` is not
 * allowed at all). Anything else goes to the converter. The equivalence test runs both on
 * generated and hand-picked texts.
 */

/**
 * What a plain text is made of. Left out on purpose: the markup of Markdown and GFM (`*`, `_`,
 * `~`, `` ` ``, `[`, `]`, `\`, `|`; `!` is in, as an image needs `[`), HTML and Slack tokens (`<`,
 * `>`), emails and mentions (`@`), tabs and carriage returns, control and invisible characters,
 * and any Unicode space but the plain one.
 */
const PLAIN_CHARACTERS =
  /^[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d \n.,;:!?'"()/%+=#&$‘’“”«»—–…·•°×÷€£¥±→←≈≤≥-]*$/u;
/** A line starting with a space (indented code, a list's continuation) or a block marker. */
const BLOCK_LINE_START = /^(?: |[-+=#]|\d+[.)](?: |$))/m;
/** A space before a line break: one is dropped and two make a hard break; only the end may have them. */
const SPACE_BEFORE_BREAK = / \n/;
/** An entity or numeric character reference, which the converter decodes. */
const ENTITY = /&(?:#|[A-Za-z0-9]+;)/;
/** What a GFM autolink literal starts with (`http://…`, `www.…`), or any scheme's `://`. */
const AUTOLINK_START = /:\/\/|www\./i;

/**
 * The converter's mrkdwn of `markdown` (trailing newlines removed, as `toMrkdwn` returns it) when
 * the text is plain, else undefined.
 */
export function plainTextMrkdwn(markdown: string): string | undefined {
  // Blank lines before the text and spaces or blank lines after it are dropped by the converter.
  const text = markdown.replace(/^\n+/, '').replace(/[ \n]+$/, '');
  if (
    text === '' ||
    !PLAIN_CHARACTERS.test(text) ||
    BLOCK_LINE_START.test(text) ||
    SPACE_BEFORE_BREAK.test(text) ||
    ENTITY.test(text) ||
    AUTOLINK_START.test(text)
  ) {
    return undefined;
  }
  return text.replace(/\n{3,}/g, '\n\n').replace(/&/g, '&amp;');
}
