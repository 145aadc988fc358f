import { fenceAfter, findCut, SLACK_LIMITS, toMrkdwn, type OpenFence, type TextCut } from './mrkdwn.js';

/**
 * Markdown → mrkdwn for text that grows at its end (a streamed answer re-rendered every second).
 * The converter (remark underneath) takes ~3 ms per 1,000 characters, more on long paragraphs, so
 * the text is converted block by block — blocks being separated by blank lines outside code
 * fences — and a block converted once is not converted again: each render converts only the block
 * still growing. Blocks are joined with one blank line, as the converter would.
 */
export class MrkdwnConverter {
  private cache = new Map<string, string>();

  /** The mrkdwn of `markdown`. */
  convert(markdown: string): string {
    return joinBlocks(this.blocks(markdown).map((b) => b.mrkdwn));
  }

  /**
   * Where to cut `markdown` so that the first piece converts to at most `limit` characters, or
   * undefined when all of it does: between blocks when that fills at least half the limit,
   * otherwise inside the block that overflows (see {@link findCut}), tightened until it fits.
   */
  cut(markdown: string, limit: number): TextCut | undefined {
    const blocks = this.blocks(markdown);
    if (joinedLength(blocks) <= limit) return undefined;
    let length = 0;
    let fitting = 0;
    for (const block of blocks) {
      const added = block.mrkdwn.length + (fitting > 0 ? 2 : 0);
      if (length + added > limit) break;
      length += added;
      fitting += 1;
    }
    const next = blocks[fitting];
    if (next === undefined) return undefined;
    const room = limit - length - (fitting > 0 ? 2 : 0);
    if (fitting > 0 && (length >= limit / 2 || room < limit / 4))
      return { at: next.start, close: '', reopen: '' };
    const inside = cutInside(markdown.slice(next.start, next.end), next.mrkdwn.length, room);
    return { ...inside, at: next.start + inside.at };
  }

  private blocks(markdown: string): ConvertedBlock[] {
    const used = new Map<string, string>();
    const blocks = splitBlocks(markdown).map(({ start, end }) => {
      const source = markdown.slice(start, end);
      const mrkdwn = used.get(source) ?? this.cache.get(source) ?? toMrkdwn(source);
      used.set(source, mrkdwn);
      return { start, end, mrkdwn };
    });
    // Only the blocks of the latest text stay cached: older versions of a growing block go.
    this.cache = used;
    return blocks;
  }
}

/** Markdown → mrkdwn pieces of at most `limit` characters each (one Slack message each by default). */
export function markdownPieces(markdown: string, limit: number = SLACK_LIMITS.messageText): string[] {
  const converter = new MrkdwnConverter();
  const pieces: string[] = [];
  let rest = markdown;
  for (let cut = converter.cut(rest, limit); cut !== undefined; cut = converter.cut(rest, limit)) {
    const piece = converter.convert(rest.slice(0, cut.at) + cut.close);
    if (piece !== '') pieces.push(piece);
    rest = cut.reopen + rest.slice(cut.at);
  }
  const last = converter.convert(rest);
  if (last !== '') pieces.push(last);
  return pieces;
}

interface ConvertedBlock {
  start: number;
  end: number;
  mrkdwn: string;
}

/** Blocks of Markdown: runs of lines between blank lines, a code fence (blank lines and all) kept whole. */
function splitBlocks(markdown: string): Array<{ start: number; end: number }> {
  const blocks: Array<{ start: number; end: number }> = [];
  let open: OpenFence | undefined;
  let start: number | undefined;
  let pos = 0;
  while (pos <= markdown.length) {
    const newline = markdown.indexOf('\n', pos);
    const end = newline === -1 ? markdown.length : newline;
    const line = markdown.slice(pos, end);
    if (open === undefined && line.trim() === '') {
      if (start !== undefined) blocks.push({ start, end: pos });
      start = undefined;
    } else {
      start ??= pos;
      open = fenceAfter(line, open);
    }
    if (newline === -1) break;
    pos = newline + 1;
  }
  if (start !== undefined) blocks.push({ start, end: markdown.length });
  return blocks;
}

/** A cut inside one block (`converted` characters as mrkdwn) whose converted first piece fits `room`. */
function cutInside(block: string, converted: number, room: number): TextCut {
  const ratio = block.length / Math.max(1, converted);
  for (
    let budget = Math.min(Math.floor(room * ratio), block.length - 1);
    ;
    budget = Math.floor(budget * 0.9)
  ) {
    const cut = findCut(block, Math.max(budget, 1));
    if (cut === undefined || budget <= 1) return cut ?? { at: 1, close: '', reopen: '' };
    if (toMrkdwn(block.slice(0, cut.at) + cut.close).length <= room) return cut;
  }
}

function joinBlocks(mrkdwn: readonly string[]): string {
  return mrkdwn.filter((m) => m !== '').join('\n\n');
}

function joinedLength(blocks: readonly ConvertedBlock[]): number {
  return joinBlocks(blocks.map((b) => b.mrkdwn)).length;
}
