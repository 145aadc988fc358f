import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type MessageCreateOptions,
  type MessageMentionOptions,
} from 'discord.js';
import type { Usage } from '../../src/core/events.js';
import type { CardCall, CardDecision } from '../shared/approval-decisions.js';
import {
  callSummaryText,
  decisionText,
  statusText,
  stoppable,
  type TextStyle,
  type TurnStatus,
} from '../shared/event-text.js';
import { customId, FEEDBACK_MODAL_PREFIX } from './custom-ids.js';
import { MAX_MESSAGE_CHARS } from './discord-context.js';

/** Discord markdown for the shared texts. */
export const DISCORD_STYLE: TextStyle = {
  bold: (t) => `**${t}**`,
  italic: (t) => `*${t}*`,
  mention: (id) => `<@${id}>`,
  time: (ms) => `<t:${Math.floor(ms / 1000)}:t>`,
};

/** A message's content and components, as discord.js takes them for both send and edit. */
export interface DiscordContent {
  content: string;
  components?: MessageCreateOptions['components'];
}

/**
 * No pings from anything the bot echoes (a user's text in a tool line, a plan item, the model's
 * `@everyone`), and no ping of the author it replies to. The adapter's client sets the same default,
 * so a send that forgets it still pings nobody; the bot pings no one on purpose on Discord.
 */
export const NO_MENTIONS = { parse: [], repliedUser: false } satisfies MessageMentionOptions;

export function statusMessage(
  sessionId: string,
  status: TurnStatus,
  extra?: { usage: Usage; costUsd: number; costUnknown?: boolean | undefined },
): DiscordContent {
  const content = statusText(status, extra);
  if (!stoppable(status)) return { content, components: [] };
  const stop = new ButtonBuilder()
    .setCustomId(customId({ verb: 'stop', sessionId }))
    .setLabel('Stop')
    .setStyle(ButtonStyle.Danger);
  return { content, components: [new ActionRowBuilder<ButtonBuilder>().addComponents(stop)] };
}

/**
 * The approval message: each call's summary, its decision once decided, and one row of buttons per
 * open call (Discord allows 5 rows: 4 calls and an Approve-all row; more calls are summarised).
 */
export function approvalMessage(
  sessionId: string,
  calls: readonly CardCall[],
  decisions: readonly CardDecision[],
): DiscordContent {
  const sections = calls.map((call) => {
    const decision = decisions.find((d) => d.toolCallId === call.toolCallId);
    const summary = callSummaryText(call, DISCORD_STYLE, 600);
    return decision ? `${summary}\n${decisionText(decision, DISCORD_STYLE)}` : summary;
  });
  const content = fit(`${DISCORD_STYLE.bold('Approval needed')}\n\n${sections.join('\n\n')}`);
  const open = calls.filter((c) => !decisions.some((d) => d.toolCallId === c.toolCallId));
  const rows = open
    .slice(0, 4)
    .map((call, i) =>
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        button(
          customId({ verb: 'approve', sessionId, toolCallId: call.toolCallId }),
          `Approve ${label(call, i)}`,
          ButtonStyle.Success,
        ),
        button(
          customId({ verb: 'reject', sessionId, toolCallId: call.toolCallId }),
          'Reject',
          ButtonStyle.Danger,
        ),
        button(
          customId({ verb: 'feedback', sessionId, toolCallId: call.toolCallId }),
          'Reject with feedback…',
          ButtonStyle.Secondary,
        ),
      ),
    );
  if (open.length >= 2) {
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        button(customId({ verb: 'all', sessionId }), 'Approve all', ButtonStyle.Primary),
      ),
    );
  }
  return { content, components: rows };
}

export function feedbackModal(sessionId: string, call: CardCall): ModalBuilder {
  const input = new TextInputBuilder()
    .setCustomId('feedback')
    .setLabel(`Instead of ${call.tool}, the intern should…`.slice(0, 45))
    .setStyle(TextInputStyle.Paragraph)
    .setMaxLength(3_000)
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(`${FEEDBACK_MODAL_PREFIX}${sessionId}:${call.toolCallId}`.slice(0, 100))
    .setTitle('Reject with feedback')
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input));
}

function button(id: string, text: string, style: ButtonStyle): ButtonBuilder {
  return new ButtonBuilder().setCustomId(id).setLabel(text.slice(0, 80)).setStyle(style);
}

function label(call: CardCall, index: number): string {
  return `${index + 1}: ${call.tool}`;
}

/** Keeps a message under Discord's 2,000 characters. */
function fit(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS - 2)}…`;
}
