import type { KnownBlock, SectionBlock } from '@slack/types';
import slackifyMarkdown from 'slackify-markdown';
import { plainTextMrkdwn } from './plain-text-mrkdwn.js';
import { cutOutsideTokens, protectTokens } from './slack-tokens.js';

/**
 * Markdown → Slack mrkdwn, and cutting text to Slack's size limits without breaking code fences:
 * a piece that ends inside a fence gets the fence closed, and the next piece reopens it (with its
 * language tag), so every piece renders on its own.
 */

/** Slack's size limits that the renderer respects. */
export const SLACK_LIMITS = {
  /** Characters of `text` in one section block. */
  sectionText: 3_000,
  /** Blocks in one message. */
  blocksPerMessage: 50,
  /** Characters of a message's `text`. */
  messageText: 40_000,
  /** Characters of one `markdown_text` argument (`chat.startStream` / `appendStream` / `stopStream`). */
  streamMarkdown: 12_000,
} as const;

/** What a message says: `text` (mrkdwn, also the notification fallback) and optional blocks. */
export interface SlackMessageContent {
  text: string;
  blocks?: KnownBlock[];
}

/** Where to cut a text: `text.slice(0, at) + close` is one piece, `reopen + text.slice(at)` the rest. */
export interface TextCut {
  at: number;
  /** The fence closer appended to the first piece when the cut falls inside a code fence. */
  close: string;
  /** The fence opener (language tag included) that starts the rest when the cut falls inside one. */
  reopen: string;
}

/** A code fence a text is inside: what closes it, and the line that reopens it. */
export interface OpenFence {
  /** The backtick or tilde run that opened it (a closer is the same character, at least as long). */
  marker: string;
  /** The whole opener line, to reopen the fence in the next piece. */
  opener: string;
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** Longer "opener" lines are not treated as fences: reopening them would not leave room for text. */
const MAX_OPENER_CHARS = 200;

/** The fence state after `line`, given the state before it (CommonMark fenced code blocks). */
export function fenceAfter(line: string, open: OpenFence | undefined): OpenFence | undefined {
  const match = FENCE_LINE.exec(line);
  const run = match?.[1];
  const info = match?.[2] ?? '';
  if (run === undefined) return open;
  if (open !== undefined) {
    const closes = run[0] === open.marker[0] && run.length >= open.marker.length && info.trim() === '';
    return closes ? undefined : open;
  }
  // A backtick run followed by more backticks is inline code, not a fence.
  if ((run[0] === '`' && info.includes('`')) || line.length > MAX_OPENER_CHARS) return undefined;
  return { marker: run, opener: line };
}

/**
 * Where to cut `text` so that the first piece (fence closer included) is at most `limit` characters,
 * or undefined when it already fits. Prefers, in order: a paragraph break outside a code fence, a
 * line break outside a fence, a line break inside a fence (closed and reopened), each in the second
 * half of the limit; then the last line break; then a space or the limit itself inside a long line.
 * The cut is never before `minAt` (text already delivered that must stay in the first piece).
 */
export function findCut(text: string, limit: number, minAt = 0): TextCut | undefined {
  if (text.length <= limit) return undefined;
  const half = Math.max(minAt, Math.floor(limit / 2));
  let open: OpenFence | undefined;
  let paragraph: TextCut | undefined;
  let plainLine: TextCut | undefined;
  let anyLine: TextCut | undefined;
  let pos = 0;
  for (;;) {
    const newline = text.indexOf('\n', pos);
    if (newline === -1 || newline + 1 > limit) break;
    const line = text.slice(pos, newline);
    const before = open;
    open = fenceAfter(line, open);
    const at = newline + 1;
    pos = at;
    const cut = cutAt(at, open, '');
    // Right after an opener line a cut would leave an empty code block behind.
    const justOpened = before === undefined && open !== undefined;
    if (justOpened || at < minAt || at + cut.close.length > limit) continue;
    anyLine = cut;
    if (open === undefined) {
      plainLine = cut;
      if (line.trim() === '') paragraph = cut;
    }
  }
  for (const cut of [paragraph, plainLine, anyLine]) if (cut !== undefined && cut.at >= half) return cut;
  if (anyLine !== undefined && anyLine.at > minAt) return anyLine;
  // No usable line break: cut inside the line that crosses the limit, at a space when there is one.
  const close = open === undefined ? '' : `\n${open.marker}`;
  let at = Math.max(limit - close.length, minAt + 1);
  const space = text.lastIndexOf(' ', at - 1);
  if (space >= Math.max(pos, half)) at = space + 1;
  // Never inside a Slack token (`<@U1>`, `<https://…|label>`), a Markdown link or an entity.
  at = cutOutsideTokens(text, at, minAt, limit - close.length);
  if (isHighSurrogate(text.charCodeAt(at - 1)) && at - 1 > minAt) at -= 1;
  return cutAt(Math.min(at, text.length), open, close);
}

function cutAt(at: number, open: OpenFence | undefined, closeOverride: string): TextCut {
  // Reopening a fence longer than the piece cut off would never make progress: cut it plainly.
  if (open === undefined || at <= open.opener.length + 1) return { at, close: '', reopen: '' };
  return { at, close: closeOverride || open.marker, reopen: `${open.opener}\n` };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Splits `text` (Markdown or mrkdwn) into pieces of at most `limit` characters, at paragraph or line
 * boundaries where possible, never leaving a code fence unbalanced in a piece.
 */
export function splitForSlack(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  for (;;) {
    const cut = findCut(rest, limit);
    if (cut === undefined) break;
    const piece = trimNewlines(rest.slice(0, cut.at)) + (cut.close ? `\n${cut.close.trimStart()}` : '');
    if (piece.trim() !== '') pieces.push(piece);
    rest = cut.reopen + rest.slice(cut.at);
  }
  if (rest.trim() !== '') pieces.push(trimNewlines(rest));
  return pieces;
}

function trimNewlines(text: string): string {
  return text.replace(/\n+$/, '');
}

/**
 * Markdown (as models write it) → Slack mrkdwn, trailing newlines removed; '' for blank input.
 * Slack's own markup in the text (`<@U1>`, `<#C1>`, `<https://…|label>`) is carried through
 * unchanged: the converter would escape it into visible brackets. Guard model text first (see
 * `MentionGuard`): this keeps whatever mentions it is given.
 */
export function toMrkdwn(markdown: string): string {
  if (markdown.trim() === '') return '';
  return plainTextMrkdwn(markdown) ?? convertMarkdown(markdown);
}

/** {@link toMrkdwn} by the converter alone, without the plain-text shortcut (which must equal it). */
export function convertMarkdown(markdown: string): string {
  const { text, restore } = protectTokens(markdown);
  return trimNewlines(restore(slackifyMarkdown(text)));
}

/**
 * The line that reopens the code fence `text` ends inside (with a newline), or '' when it ends
 * outside any: what a continuation of `text` in a new message starts with.
 */
export function reopenAfter(text: string): string {
  let open: OpenFence | undefined;
  for (const line of text.split('\n')) open = fenceAfter(line, open);
  return open === undefined ? '' : `${open.opener}\n`;
}

/** mrkdwn as section blocks of at most 3,000 characters each, fences balanced in each. */
export function sectionBlocks(mrkdwn: string): SectionBlock[] {
  return splitForSlack(mrkdwn, SLACK_LIMITS.sectionText).map((text) => ({
    type: 'section',
    text: { type: 'mrkdwn', text },
  }));
}

/** True when a message with this content is within Slack's limits (text length, block count). */
export function fitsOneMessage(content: SlackMessageContent): boolean {
  return (
    content.text.length <= SLACK_LIMITS.messageText &&
    (content.blocks?.length ?? 0) <= SLACK_LIMITS.blocksPerMessage
  );
}

/**
 * mrkdwn as messages of section blocks: each message has at most 50 blocks and a fallback `text`
 * of at most 40,000 characters; a new message starts where the previous one would overflow.
 */
export function sectionMessages(mrkdwn: string): SlackMessageContent[] {
  const messages: SlackMessageContent[] = [];
  let blocks: SectionBlock[] = [];
  let texts: string[] = [];
  const textOf = (parts: readonly string[]): string => parts.join('\n');
  for (const block of sectionBlocks(mrkdwn)) {
    const text = block.text?.text ?? '';
    const next = { text: textOf([...texts, text]), blocks: [...blocks, block] };
    if (blocks.length > 0 && !fitsOneMessage(next)) {
      messages.push({ text: textOf(texts), blocks });
      blocks = [];
      texts = [];
    }
    blocks.push(block);
    texts.push(text);
  }
  if (blocks.length > 0) messages.push({ text: textOf(texts), blocks });
  return messages;
}

/**
 * Escapes the three characters Slack treats as markup in text (`&`, `<`, `>`), so untrusted text
 * (tool arguments, outputs, errors) cannot mention `@channel`, a user, or fake a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** At most `max` characters, with `…` when cut (never splitting a surrogate pair). */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Whitespace runs collapsed to one space, cut to `max` characters. */
export function oneLine(text: string, max: number): string {
  return truncateText(text.replace(/\s+/g, ' ').trim(), max);
}

/**
 * Text shown inside a ``` code block: a run of three backticks in it would end the block early, so
 * it is broken with a zero-width space; `&`, `<`, `>` are escaped as everywhere.
 */
export function codeBlockText(text: string): string {
  return escapeMrkdwn(text).replace(/```/g, '`\u200b``');
}

/** Text as inline code: escaped, with backticks (which would end the span) made plain quotes. */
export function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;
}
