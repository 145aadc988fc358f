import type { ToolState } from '../../../src/core/events.js';
import {
  codeBlockText,
  inlineCode,
  oneLine,
  SLACK_LIMITS,
  truncateText,
  type SlackMessageContent,
} from './mrkdwn.js';

/**
 * The tool calls of the current step as one message, one compact line per call
 * (`✅ ⚙️ tool key=value…`), re-rendered whole whenever a call changes state so the caller can edit
 * the message in place. Outputs appear as a short excerpt; a longer output is flagged for the
 * caller to upload in full as a file snippet (the thread stays readable, nothing is hidden).
 */

/** A tool call as the step message shows it. */
export interface ToolCallLine {
  toolCallId: string;
  tool: string;
  args: Record<string, unknown>;
  state: ToolState;
  /** The output once the call finished. */
  output?: string;
  ok?: boolean;
}

/** A full output to upload as a file snippet, because the message shows only its beginning. */
export interface ToolOutputSnippet {
  toolCallId: string;
  tool: string;
  filename: string;
  content: string;
}

export interface ToolLinesMessage {
  content: SlackMessageContent;
  /** Outputs cut in the message; the caller uploads each once (keyed by `toolCallId`). */
  snippets: ToolOutputSnippet[];
}

/** Characters of an output shown in the thread. */
export const OUTPUT_EXCERPT_CHARS = 500;
const OUTPUT_EXCERPT_LINES = 12;

export const STATE_EMOJI: Record<ToolState, string> = {
  running: '⏳',
  waiting_approval: '✋',
  approved: '👍',
  rejected: '🚫',
  completed: '✅',
  failed: '❌',
  abandoned: '⏹',
  cancelled: '⏹',
  unknown: '❓',
};

/** `⏳ ⚙️ `tool` `k=v` `k=v`…`: the state, the tool, its key arguments cut short. */
export function toolLine(call: Pick<ToolCallLine, 'tool' | 'args' | 'state'>): string {
  const args = Object.entries(call.args)
    .slice(0, 4)
    .map(([k, v]) =>
      inlineCode(`${k}=${oneLine(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''), 40)}`),
    );
  const more = Object.keys(call.args).length > 4 ? ' …' : '';
  return `${STATE_EMOJI[call.state]} ⚙️ ${inlineCode(oneLine(call.tool, 80))} ${args.join(' ')}${more}`.trimEnd();
}

/**
 * The beginning of an output (at most `maxChars` characters and a dozen lines) and whether that
 * left something out.
 */
export function outputExcerpt(
  output: string,
  maxChars: number = OUTPUT_EXCERPT_CHARS,
): { excerpt: string; truncated: boolean } {
  const trimmed = output.replace(/\s+$/, '');
  const lines = trimmed.split('\n');
  const firstLines = lines.slice(0, OUTPUT_EXCERPT_LINES).join('\n');
  const excerpt = truncateText(firstLines, maxChars);
  return { excerpt, truncated: excerpt !== trimmed };
}

/** The step message for these calls (in call order) and the outputs to attach as snippets. */
export function toolLinesMessage(calls: readonly ToolCallLine[]): ToolLinesMessage {
  const snippets: ToolOutputSnippet[] = [];
  for (const call of calls) {
    if (call.output !== undefined && outputExcerpt(call.output).truncated) {
      snippets.push({
        toolCallId: call.toolCallId,
        tool: call.tool,
        filename: snippetFilename(call),
        content: call.output,
      });
    }
  }
  // Shorter excerpts, then none, when a step has so many calls that the message would overflow.
  for (const excerptChars of [OUTPUT_EXCERPT_CHARS, 100, 0]) {
    const text = calls.map((c) => renderCall(c, excerptChars)).join('\n');
    if (text.length <= SLACK_LIMITS.messageText) return { content: { text: text || '⚙️' }, snippets };
  }
  const text = truncateText(calls.map((c) => toolLine(c)).join('\n'), SLACK_LIMITS.messageText);
  return { content: { text }, snippets };
}

function renderCall(call: ToolCallLine, excerptChars: number): string {
  const line = toolLine(call);
  if (call.output === undefined || excerptChars === 0 || call.output.trim() === '') return line;
  const { excerpt, truncated } = outputExcerpt(call.output, excerptChars);
  const note = truncated
    ? `\n_Output cut here; the full output is attached as ${snippetFilename(call)}._`
    : '';
  return `${line}\n\`\`\`\n${codeBlockText(excerpt)}\n\`\`\`${note}`;
}

/** `tool-<call id tail>.txt`, with only characters that are safe in a file name. */
export function snippetFilename(call: Pick<ToolCallLine, 'tool' | 'toolCallId'>): string {
  const safe = (text: string): string => text.replace(/[^A-Za-z0-9_.-]+/g, '_');
  return `${safe(call.tool).slice(0, 60)}-${safe(call.toolCallId).slice(-8)}.txt`;
}
