import type { KnownBlock, View } from '@slack/types';
import type { AgentEvent, Todo, ToolState, Usage } from '../../src/core/events.js';
import type { CardCall, CardDecision } from './approval-decisions.js';
import type { MessageContent } from './coalesced-message.js';
import { toMrkdwn } from './answer-message.js';

/**
 * The bridge between the renderer / interaction handlers and the Block Kit builders in render/:
 * every message shape the adapter sends is named here.
 */

export interface ToolLine {
  tool: string;
  args: Record<string, unknown>;
  state: ToolState;
  output?: string;
  ok?: boolean;
}

export type TurnStatus = 'working' | 'awaiting_approval' | 'done' | 'interrupted' | 'error';

export function statusContent(
  sessionId: string,
  status: TurnStatus,
  extra?: { usage: Usage; costUsd: number },
): MessageContent {
  const text = {
    working: ':hourglass_flowing_sand: Working…',
    awaiting_approval: ':raised_hand: Waiting for approval',
    done: ':white_check_mark: Done',
    interrupted: ':black_square_for_stop: Stopped',
    error: ':warning: Stopped on an error',
  }[status];
  const detail = extra
    ? ` · ${extra.usage.inputTokens + extra.usage.outputTokens} tokens · $${extra.costUsd.toFixed(4)}`
    : '';
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${text}${detail}` }] },
  ];
  if (status === 'working' || status === 'awaiting_approval') {
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
  return { text: `${text}${detail}`, blocks };
}

const STATE_MARK: Record<ToolState, string> = {
  running: ':hourglass_flowing_sand:',
  waiting_approval: ':raised_hand:',
  approved: ':+1:',
  rejected: ':no_entry_sign:',
  completed: ':white_check_mark:',
  failed: ':x:',
  abandoned: ':black_square_for_stop:',
  cancelled: ':black_square_for_stop:',
  unknown: ':grey_question:',
};

/** One compact line per tool call of the current step, edited in place as states change. */
export function toolLinesContent(lines: readonly ToolLine[]): MessageContent {
  const text = lines
    .map((l) => {
      const out = l.output !== undefined ? ` → ${oneLine(l.output, l.ok === false ? 300 : 120)}` : '';
      return `${STATE_MARK[l.state]} \`${l.tool}\` ${oneLine(keyArgs(l.args), 120)}${out}`;
    })
    .join('\n');
  return { text };
}

const PLAN_MARK: Record<Todo['status'], string> = {
  pending: ':white_large_square:',
  in_progress: ':arrow_forward:',
  completed: ':ballot_box_with_check:',
};

export function planContent(todos: readonly Todo[]): MessageContent {
  return {
    text: ['*Plan*', ...todos.map((t) => `${PLAN_MARK[t.status]} ${oneLine(t.content, 200)}`)].join('\n'),
  };
}

/** The intern's answer as Slack messages (mrkdwn, split at Slack's size limits). */
export function answerMessages(markdown: string): MessageContent[] {
  return splitText(markdown, 12_000).map((text) => ({ text: toMrkdwn(text) }));
}

export function noticeText(event: AgentEvent): string {
  switch (event.type) {
    case 'compacted':
      return `:compression: Compacted the conversation (${event.oldTokens.toLocaleString('en')} → ${event.newTokens.toLocaleString('en')} tokens).`;
    case 'undo_complete':
      return `:leftwards_arrow_with_hook: Undone (${event.removed} messages removed).`;
    case 'error':
      return `:warning: ${event.message}`;
    default:
      return '';
  }
}

/** The approval card: each call with its arguments and buttons, or who decided it once decided. */
export function cardBlocks(
  sessionId: string,
  calls: readonly CardCall[],
  decisions: readonly CardDecision[],
): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: '*Approval needed*' } }];
  const open = calls.filter((c) => !decisions.some((d) => d.toolCallId === c.toolCallId));
  for (const call of calls) {
    const decision = decisions.find((d) => d.toolCallId === call.toolCallId);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: callSummary(call) } });
    if (decision) {
      const verb = decision.approved ? ':white_check_mark: Approved' : ':x: Rejected';
      const note = decision.feedback ? ` (feedback: ${oneLine(decision.feedback, 200)})` : '';
      const when = `<!date^${Math.floor(decision.at / 1000)}^{time}|${new Date(decision.at).toISOString()}>`;
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${verb} by <@${decision.by}> at ${when}${note}` }],
      });
    } else {
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
        label: { type: 'plain_text', text: `What should the intern do instead of \`${tool}\`?` },
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3_000 },
      },
    ],
  };
}

/** Argument names whose value is code: shown as a code block, not squeezed into one line. */
const CODE_ARGS = new Set(['script', 'code', 'command', 'cmd', 'source', 'python', 'bash']);
const MAX_CODE_CHARS = 1_500;
const COST_ARGS = ['estimatedCostUsd', 'estimated_cost_usd', 'cost_estimate', 'costEstimateUsd'];

/** One call on a card: tool, key arguments, any script as a code block, its reason and cost. */
function callSummary(call: CardCall): string {
  const code = Object.entries(call.args).find(([k, v]) => CODE_ARGS.has(k) && typeof v === 'string');
  const rest = Object.fromEntries(Object.entries(call.args).filter(([k]) => k !== code?.[0]));
  const cost = COST_ARGS.map((k) => call.args[k]).find((v): v is number => typeof v === 'number');
  const lines = [`\`${call.tool}\` ${oneLine(keyArgs(rest), 600)}`];
  if (call.reason) lines.push(`_${call.reason}_`);
  if (cost !== undefined) lines.push(`Estimated cost: *$${cost.toFixed(2)}*`);
  if (code) {
    const text = String(code[1]);
    const cut = text.length - MAX_CODE_CHARS;
    const shown = cut > 0 ? `${text.slice(0, MAX_CODE_CHARS)}\n… (${cut} more characters)` : text;
    lines.push(`\`\`\`${shown.replace(/```/g, "'''")}\`\`\``);
  }
  return lines.join('\n');
}

/** `k=v` for the scalar arguments; long strings cut. */
function keyArgs(args: Record<string, unknown>): string {
  return Object.entries(args)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = Math.max(rest.lastIndexOf('\n', max), Math.floor(max / 2));
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
