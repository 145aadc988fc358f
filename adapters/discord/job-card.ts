import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { elapsedText, jobCostText, lastLogLines, type JobUpdate } from '../shared/job-update-text.js';
import { customId, MAX_CUSTOM_ID_CHARS } from './custom-ids.js';
import { MAX_MESSAGE_CHARS } from './discord-context.js';
import type { DiscordContent } from './discord-views.js';

/**
 * A job card as a Discord message: the stage with an emoji, elapsed time, flavor, cost so far, the
 * last log lines in a code block and a link to the job, with a Cancel button while the job runs.
 * Pure: the renderer decides when it is posted and edited (see `job-cards.ts`).
 */

/** How many log lines the card shows at most (fewer when they would not fit in 2,000 characters). */
export const CARD_LOG_LINES = 8;
/** One log line is cut to this many characters: a long line must not push out the others. */
const MAX_LOG_LINE_CHARS = 180;
const MAX_MESSAGE_LINE_CHARS = 300;

const STAGE_EMOJI: Record<string, string> = {
  SCHEDULING: '⏳',
  RUNNING: '🏃',
  COMPLETED: '✅',
  ERROR: '❌',
  CANCELED: '⏹️',
  DELETED: '🗑️',
};

export function stageEmoji(stage: string): string {
  return STAGE_EMOJI[stage] ?? '🔹';
}

export function jobCardMessage(sessionId: string, update: JobUpdate): DiscordContent {
  const head =
    `${stageEmoji(update.stage)} **${plain(update.stage)}** · job \`${plain(update.jobId)}\` · ` +
    `${elapsedText(update.elapsedSeconds)} · ${plain(update.flavor)} · ${jobCostText(update.costSoFarUsd)}`;
  const note = update.message ? `> ${cut(plain(update.message), MAX_MESSAGE_LINE_CHARS)}` : undefined;
  // Angle brackets keep Discord from unfurling the link into an embed on every edit.
  const link = `🔗 <${update.url.replace(/[<>\s]/g, '')}>`;
  const fixed = [head, note, link].filter((p) => p !== undefined);
  const budget = MAX_MESSAGE_CHARS - fixed.join('\n').length - 1;
  const logs = logBlock(update.logTail, budget);
  const content = [head, ...(note ? [note] : []), ...(logs ? [logs] : []), link].join('\n');
  return {
    content: content.length <= MAX_MESSAGE_CHARS ? content : `${content.slice(0, MAX_MESSAGE_CHARS - 1)}…`,
    components: update.final ? [] : cancelRow(sessionId, update.jobId),
  };
}

/**
 * The last log lines in a code block of at most `budget` characters: lines are dropped from the
 * top until it fits (the newest lines matter most); `undefined` when not even one fits.
 */
export function logBlock(logTail: readonly string[], budget: number): string | undefined {
  const fence = (lines: readonly string[]) => `\`\`\`\n${lines.join('\n')}\n\`\`\``;
  const lines = lastLogLines(logTail, CARD_LOG_LINES).map((l) => cut(unfenced(l), MAX_LOG_LINE_CHARS));
  if (lines.length === 0) return budget >= 20 ? '*No log lines yet.*' : undefined;
  while (lines.length > 0 && fence(lines).length > budget) lines.shift();
  return lines.length > 0 ? fence(lines) : undefined;
}

function cancelRow(sessionId: string, jobId: string): DiscordContent['components'] {
  const action = { verb: 'cancel_job', sessionId, jobId } as const;
  // An id too long for Discord (never for the Hub's ids) leaves the card without its button.
  if (`mlib:cj:${sessionId}:${jobId}`.length > MAX_CUSTOM_ID_CHARS || jobId.includes(':')) return [];
  const cancel = new ButtonBuilder()
    .setCustomId(customId(action))
    .setLabel('Cancel')
    .setStyle(ButtonStyle.Danger);
  return [new ActionRowBuilder<ButtonBuilder>().addComponents(cancel)];
}

/** A log line that cannot close the code block it sits in (a zero-width space splits the fence). */
function unfenced(line: string): string {
  return line.replace(/```/g, '`\u200b``');
}

/** Text from the Hub shown inline, on one line, without backticks that would break the markup. */
function plain(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/`/g, "'").trim();
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
