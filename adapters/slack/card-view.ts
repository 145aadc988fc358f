import type { KnownBlock, View } from '@slack/types';
import type { Todo, Usage } from '../../src/core/events.js';
import type { CardCall, CardDecision } from '../shared/approval-decisions.js';
import {
  callSummaryText,
  decisionText,
  planText,
  statusText,
  stoppable,
  toolLinesText,
  type TextStyle,
  type ToolLine,
  type TurnStatus,
} from '../shared/event-text.js';
import type { MessageContent } from './coalesced-message.js';
import { MentionGuard, NO_MENTIONS, type MentionPolicy } from './render/mention-guard.js';
import { sectionMessages, toMrkdwn } from './render/mrkdwn.js';

export type { ToolLine, TurnStatus };

/** Slack's mrkdwn for the shared texts. */
export const SLACK_STYLE: TextStyle = {
  bold: (t) => `*${t}*`,
  italic: (t) => `_${t}_`,
  mention: (id) => `<@${id}>`,
  time: (ms) => `<!date^${Math.floor(ms / 1000)}^{time}|${new Date(ms).toISOString()}>`,
};

/** The status line of a turn, with a Stop button while it runs. */
export function statusContent(
  sessionId: string,
  status: TurnStatus,
  extra?: { usage: Usage; costUsd: number; costUnknown?: boolean | undefined },
): MessageContent {
  const text = statusText(status, extra);
  const blocks: KnownBlock[] = [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }];
  if (stoppable(status)) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Stop' },
          style: 'danger',
          action_id: 'mlib_stop',
          value: sessionId,
        },
      ],
    });
  }
  return { text, blocks };
}

/** Tool lines: their arguments and outputs are model and tool text, so they are guarded. */
export function toolLinesContent(
  lines: readonly ToolLine[],
  mentions: MentionPolicy = NO_MENTIONS,
): MessageContent {
  return { text: new MentionGuard(mentions).guard(toolLinesText(lines)) };
}

/** The plan: the model's words, guarded. */
export function planContent(todos: readonly Todo[], mentions: MentionPolicy = NO_MENTIONS): MessageContent {
  return { text: new MentionGuard(mentions).guard(planText(todos, SLACK_STYLE)) };
}

/** A notice whose words may come from the model or a tool (an error message): guarded. */
export function noticeContent(text: string): MessageContent {
  return { text: new MentionGuard(NO_MENTIONS).guard(text) };
}

/**
 * The intern's answer as Slack messages (mrkdwn in section blocks, split at Slack's limits); its
 * mentions limited by `mentions`, its broadcasts neutralised.
 */
export function answerMessages(markdown: string, mentions: MentionPolicy = NO_MENTIONS): MessageContent[] {
  return sectionMessages(toMrkdwn(new MentionGuard(mentions).guard(markdown)));
}

/**
 * The approval card: each call with its arguments and buttons, or who decided it once decided.
 * `notify` (the session's owner, when the card is first posted) is mentioned in its header: the
 * bot's own ping, unlike the call's arguments (model text, guarded: they mention nobody).
 */
export function cardBlocks(
  sessionId: string,
  calls: readonly CardCall[],
  decisions: readonly CardDecision[],
  notify?: string,
): KnownBlock[] {
  const header =
    notify === undefined ? '*Approval needed*' : `*Approval needed* ${SLACK_STYLE.mention(notify)}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: header } }];
  const open = calls.filter((c) => !decisions.some((d) => d.toolCallId === c.toolCallId));
  for (const call of calls) {
    const decision = decisions.find((d) => d.toolCallId === call.toolCallId);
    const summary = new MentionGuard(NO_MENTIONS).guard(callSummaryText(call, SLACK_STYLE));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: summary } });
    if (decision) {
      // Who decided is the bot's own mention; the feedback they typed is guarded.
      const decided = new MentionGuard({ allowedUsers: new Set([decision.by]), maxMentions: 1 });
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: decided.guard(decisionText(decision, SLACK_STYLE)) }],
      });
      continue;
    }
    const value = JSON.stringify({ sessionId, toolCallId: call.toolCallId });
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Approve' },
          style: 'primary',
          action_id: 'mlib_approve',
          value,
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Reject' },
          style: 'danger',
          action_id: 'mlib_reject',
          value,
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Reject with feedback…' },
          action_id: 'mlib_reject_feedback',
          value,
        },
      ],
    });
  }
  if (open.length >= 2) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Approve all' },
          style: 'primary',
          action_id: 'mlib_approve_all',
          value: JSON.stringify({ sessionId, toolCallIds: open.map((c) => c.toolCallId) }),
        },
      ],
    });
  }
  return blocks;
}

export function feedbackModalView(meta: {
  sessionId: string;
  toolCallId: string;
  tool: string;
  channel: string;
  cardTs: string;
  threadTs: string;
}): View {
  const { tool, ...metadata } = meta;
  return {
    type: 'modal',
    callback_id: 'mlib_feedback',
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Reject with feedback' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'feedback',
        label: { type: 'plain_text', text: `What should the intern do instead of ${tool}?` },
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3_000 },
      },
    ],
  };
}
