import type { KnownBlock } from '@slack/types';
import type { AgentEvent } from '../../src/core/events.js';
import type { MessageContent } from './coalesced-message.js';
import { MentionGuard, NO_MENTIONS } from './render/mention-guard.js';
import { codeBlockText, escapeMrkdwn, oneLine, truncateText } from './render/mrkdwn.js';

/** A `job_update` event: what one job card is drawn from. */
export type JobUpdate = Extract<AgentEvent, { type: 'job_update' }>;

/** The Cancel button of a job card (`mlib_` so the adapter's action route takes it). */
export const JOB_CANCEL_ACTION = 'mlib_job_cancel';

/** A job card is edited at most this often, except when its stage changes or the job ends. */
export const JOB_CARD_INTERVAL_MS = 10_000;

/** The last log lines a card shows; each cut to `LOG_LINE_CHARS`, all of them to `LOG_BLOCK_CHARS`. */
export const LOG_LINES = 10;
const LOG_LINE_CHARS = 300;
/** Below Slack's 3,000 characters of section text, with room for the code fences. */
const LOG_BLOCK_CHARS = 2_800;
/** A stage message (the Hub's reason for an error) is one context line. */
const MESSAGE_CHARS = 500;
/** Slack's limit for a button's value. */
const MAX_BUTTON_VALUE = 2_000;

const STAGE_EMOJI: Record<string, string> = {
  SCHEDULING: '⏳',
  RUNNING: '🏃',
  COMPLETED: '✅',
  ERROR: '❌',
  CANCELED: '🛑',
  DELETED: '🗑️',
};

/** What the card last showed, as kept in adapter state: enough to decide whether an edit is due. */
export interface ShownCard {
  stage: string;
  editedAt: number;
}

/**
 * Whether a job card should be edited for `update` now: at once when its stage changed or the job
 * ended, else once `intervalMs` has passed since the last edit. An update that is not due is simply
 * dropped: each update carries the whole card, so the next due one shows everything newer.
 */
export function jobCardDue(
  shown: ShownCard,
  update: Pick<JobUpdate, 'stage' | 'final'>,
  now: number,
  intervalMs = JOB_CARD_INTERVAL_MS,
): boolean {
  return update.final || update.stage !== shown.stage || now - shown.editedAt >= intervalMs;
}

/** `42s`, `3m 07s`, `2h 05m`. */
export function elapsedText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3_600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3_600)}h ${pad(Math.floor((s % 3_600) / 60))}m`;
}

/** `$0.42`, or "cost unknown" when the flavor has no known price. */
export function jobCostText(costSoFarUsd: number | null): string {
  return costSoFarUsd === null ? 'cost unknown' : `$${costSoFarUsd.toFixed(2)}`;
}

/** `✅ Completed`: the stage with its emoji, for people. */
export function stageText(stage: string): string {
  const emoji = STAGE_EMOJI[stage] ?? '🔹';
  const word = stage.charAt(0).toUpperCase() + stage.slice(1).toLowerCase();
  return `${emoji} ${word}`;
}

/**
 * A link to the job in mrkdwn, or the plain label when `url` is not an http(s) URL. The URL comes
 * from the watcher, but a `|` or `>` in it would end the link early, so they are percent-encoded.
 */
export function jobLink(url: string, label: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return escapeMrkdwn(label);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return escapeMrkdwn(label);
  const href = parsed.href
    .replace(/&/g, '&amp;')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\|/g, '%7C');
  return `<${href}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

/**
 * The last log lines as they would read in a terminal: colour codes dropped, a progress bar's
 * carriage-return rewrites reduced to what the line last said, each line redacted before it is
 * cut (a cut through a token would leave a prefix no redactor recognises), and as many of the
 * newest lines as fit in one section.
 */
export function logTailText(lines: readonly string[], redact: (text: string) => string): string | undefined {
  const kept: string[] = [];
  let total = 0;
  for (const raw of lines.slice(-LOG_LINES).reverse()) {
    const line = codeBlockText(truncateText(terminalLine(redact(raw)), LOG_LINE_CHARS));
    if (total + line.length + 1 > LOG_BLOCK_CHARS) break;
    kept.unshift(line);
    total += line.length + 1;
  }
  if (kept.length === 0) return undefined;
  return new MentionGuard(NO_MENTIONS).guard(kept.join('\n'));
}

function terminalLine(line: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI escape sequences are what is being removed
  const plain = line.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\r+$/, '');
  const last = plain.slice(plain.lastIndexOf('\r') + 1);
  // eslint-disable-next-line no-control-regex -- other control characters would garble the block
  return last.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** The Cancel button's value: which job of which session, checked again when clicked. */
export function cancelValue(sessionId: string, update: Pick<JobUpdate, 'namespace' | 'jobId'>): string {
  return JSON.stringify({ sessionId, namespace: update.namespace, jobId: update.jobId });
}

/**
 * A job card: the stage, elapsed time, flavor and cost so far, the last log lines, a link to the
 * job, and a Cancel button until the job has ended. Everything but the bot's own words came from
 * the Hub or the job's output: escaped, and guarded against mentions.
 */
export function jobCardContent(
  sessionId: string,
  update: JobUpdate,
  redact: (text: string) => string = (t) => t,
): MessageContent {
  const guard = (text: string) => new MentionGuard(NO_MENTIONS).guard(text);
  const name = `${update.namespace}/${update.jobId}`;
  const stage = stageText(update.stage);
  const cost = jobCostText(update.costSoFarUsd);
  const facts = [
    `⏱ ${elapsedText(update.elapsedSeconds)}`,
    `\`${escapeMrkdwn(oneLine(redact(update.flavor), 80)).replace(/`/g, "'")}\``,
    update.final || update.costSoFarUsd === null ? cost : `${cost} so far`,
  ];
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: guard(`*${stage}* · HF job ${jobLink(update.url, name)}`) },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: guard(facts.join(' · ')) }] },
  ];
  if (update.message?.trim()) {
    const message = escapeMrkdwn(oneLine(redact(update.message), MESSAGE_CHARS));
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: guard(message) }] });
  }
  const logs = logTailText(update.logTail, redact);
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: logs === undefined ? '_No log lines yet._' : `\`\`\`\n${logs}\n\`\`\`` },
  });
  const value = cancelValue(sessionId, update);
  if (!update.final && value.length <= MAX_BUTTON_VALUE) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Cancel' },
          style: 'danger',
          action_id: JOB_CANCEL_ACTION,
          value,
          confirm: {
            title: { type: 'plain_text', text: 'Cancel this job?' },
            text: { type: 'plain_text', text: 'It stops on the Hub; whatever it has not pushed is lost.' },
            confirm: { type: 'plain_text', text: 'Cancel the job' },
            deny: { type: 'plain_text', text: 'Keep it running' },
            style: 'danger',
          },
        },
      ],
    });
  }
  const fallback = `HF job ${update.jobId}: ${update.stage}, ${elapsedText(update.elapsedSeconds)}, ${cost}`;
  return { text: guard(escapeMrkdwn(fallback)), blocks };
}
