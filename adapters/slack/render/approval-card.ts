import type { ActionsBlock, Button, ContextBlock, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { PendingCallSummary } from '../../../src/core/events.js';
import {
  codeBlockText,
  escapeMrkdwn,
  inlineCode,
  oneLine,
  truncateText,
  type SlackMessageContent,
} from './mrkdwn.js';

/**
 * The approval card of an `approval_required` batch: each call's tool, key arguments (a script as a
 * code block), why it needs approval, its estimated cost, and Approve / Reject / Reject with
 * feedback buttons, plus Approve all. Once decided, the same card without buttons says who decided
 * what and when. Button values carry the session and call ids, which the click handler checks
 * against the card's own thread, so a value cannot be replayed into another session.
 */

/** Action ids of the card's buttons (and the Stop button's, kept beside them for the handler). */
export const APPROVAL_ACTIONS = {
  approve: 'mlib_approve',
  reject: 'mlib_reject',
  rejectWithFeedback: 'mlib_reject_feedback',
  approveAll: 'mlib_approve_all',
} as const;

/** The feedback modal's ids: `view.state.values[FEEDBACK_BLOCK_ID][FEEDBACK_ACTION_ID].value`. */
export const FEEDBACK_CALLBACK_ID = 'mlib_feedback';
export const FEEDBACK_BLOCK_ID = 'feedback';
export const FEEDBACK_ACTION_ID = 'text';

/** One call of the batch, as `approval_required` carries it. */
export type ApprovalCall = PendingCallSummary;

/** Who decided a call, and when (ms since the epoch). */
export interface ApprovalCardDecision {
  toolCallId: string;
  approved: boolean;
  by: string;
  at: number;
  feedback?: string;
}

/** `value` of a per-call button. */
export interface CallButtonValue {
  sessionId: string;
  toolCallId: string;
}

/** `value` of the Approve all button. */
export interface ApproveAllValue {
  sessionId: string;
  toolCallIds: string[];
}

/** Characters of a script argument shown on the card; the rest is summarised in a note. */
export const SCRIPT_PREVIEW_CHARS = 1_500;

const BUTTON_VALUE_MAX = 2_000;
/** Header + Approve all + an overflow note, then two blocks (details, buttons) per call. */
const MAX_CALLS_SHOWN = Math.floor((50 - 3) / 2);
const CODE_ARG_NAME =
  /^(script|code|command|cmd|source|program|python|bash|shell|sh|sql)$|(script|code|command)$/i;
const COST_KEYS = ['estimatedCostUsd', 'cost_estimate', 'estimated_cost_usd'];

/**
 * The card for a batch, with buttons on every call not yet decided (`decisions` holds those that
 * are, annotated with who decided them); Approve all when two or more calls are open.
 */
export function approvalCard(
  sessionId: string,
  calls: readonly ApprovalCall[],
  decisions: readonly ApprovalCardDecision[] = [],
): SlackMessageContent {
  const open = calls.filter((c) => decisionOf(decisions, c) === undefined);
  const blocks = cardBlocks(calls, (call) => {
    const decision = decisionOf(decisions, call);
    return decision ? decisionContext(decision) : callButtons(sessionId, call.toolCallId);
  });
  const allValue = JSON.stringify({ sessionId, toolCallIds: open.map((c) => c.toolCallId) });
  // A batch too large for one button value is approved call by call.
  if (open.length >= 2 && allValue.length <= BUTTON_VALUE_MAX) {
    blocks.push({
      type: 'actions',
      elements: [button('Approve all', APPROVAL_ACTIONS.approveAll, allValue, 'primary')],
    });
  }
  const tools = calls.map((c) => c.tool).join(', ');
  return { text: oneLine(`Approval needed: ${tools}`, 300), blocks };
}

/** The card once decided: same content, no buttons, each call annotated with its decision. */
export function decidedCard(
  calls: readonly ApprovalCall[],
  decisions: readonly ApprovalCardDecision[],
): SlackMessageContent {
  const blocks = cardBlocks(calls, (call) => {
    const decision = decisionOf(decisions, call);
    return decision
      ? decisionContext(decision)
      : { type: 'context', elements: [{ type: 'mrkdwn', text: '⏳ Not decided' }] };
  });
  const mark = (call: ApprovalCall): string => {
    const approved = decisionOf(decisions, call)?.approved;
    return approved === undefined ? '⏳' : approved ? '✅' : '❌';
  };
  const summary = calls.map((c) => `${mark(c)} ${c.tool}`).join(', ');
  return { text: oneLine(`Approval decided: ${summary}`, 300), blocks };
}

/** The "Reject with feedback" modal; its private metadata names the call and the card. */
export function feedbackModal(target: {
  sessionId: string;
  toolCallId: string;
  tool: string;
  /** Channel and ts of the card, so the submission can edit it. */
  channel: string;
  cardTs: string;
  /** The card's thread (the session's), checked again on submission. */
  threadTs?: string;
}): ModalView {
  const { tool, ...metadata } = target;
  return {
    type: 'modal',
    callback_id: FEEDBACK_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Reject with feedback' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: FEEDBACK_BLOCK_ID,
        label: {
          type: 'plain_text',
          text: `What should the intern do instead of ${oneLine(tool, 100)}?`,
        },
        element: {
          type: 'plain_text_input',
          action_id: FEEDBACK_ACTION_ID,
          multiline: true,
          max_length: 3_000,
          placeholder: {
            type: 'plain_text',
            text: 'This goes to the intern as the reason for the rejection.',
          },
        },
      },
    ],
  };
}

/** The card's blocks: a header, then each call's details followed by `after(call)`. */
function cardBlocks(calls: readonly ApprovalCall[], after: (call: ApprovalCall) => KnownBlock): KnownBlock[] {
  const count = calls.length === 1 ? '1 call' : `${calls.length} calls`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `✋ Approval needed (${count})`, emoji: true } },
  ];
  for (const call of calls.slice(0, MAX_CALLS_SHOWN)) blocks.push(callSection(call), after(call));
  const hidden = calls.length - MAX_CALLS_SHOWN;
  if (hidden > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${hidden} more calls, decided with Approve all.` }],
    });
  }
  return blocks;
}

/** One call: tool and key arguments, scripts as code blocks, the reason, the estimated cost. */
function callSection(call: ApprovalCall): SectionBlock {
  const entries = Object.entries(call.args).filter(([k]) => !COST_KEYS.includes(k));
  const scripts = entries.filter(([k, v]) => isScript(k, v)) as Array<[string, string]>;
  const plain = entries.filter(([k, v]) => !isScript(k, v));
  const lines = [`⚙️ *${inlineCode(oneLine(call.tool, 100))}*  ${keyArgs(plain)}`.trimEnd()];
  const previewChars = Math.floor(SCRIPT_PREVIEW_CHARS / Math.max(1, scripts.length));
  for (const [name, script] of scripts) lines.push(...scriptPreview(name, script, previewChars));
  if (call.reason) lines.push(`_${escapeMrkdwn(oneLine(call.reason, 300))}_`);
  const cost = estimatedCost(call.args);
  if (cost !== undefined) lines.push(`💰 Estimated cost: ~$${cost.toFixed(2)}`);
  return { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } };
}

function isScript(name: string, value: unknown): value is string {
  return typeof value === 'string' && (CODE_ARG_NAME.test(name) || value.trim().includes('\n'));
}

/** `k=v` pairs, each as inline code, values cut short; the line as a whole is capped too. */
function keyArgs(entries: ReadonlyArray<[string, unknown]>): string {
  const pairs = entries.map(([k, v]) => inlineCode(`${k}=${oneLine(valueText(v), 80)}`));
  let line = '';
  for (const [i, pair] of pairs.entries()) {
    if (line.length + pair.length > 600) return `${line} _+${pairs.length - i} more_`;
    line = line ? `${line} ${pair}` : pair;
  }
  return line;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

function scriptPreview(name: string, script: string, maxChars: number): string[] {
  const shown = truncateText(script.replace(/\n+$/, ''), maxChars);
  const lines = [`${inlineCode(name)}:`, '```', codeBlockText(shown), '```'];
  if (shown.length < script.trimEnd().length) {
    lines.push(
      `_Showing the first ${maxChars.toLocaleString('en')} of ${script.length.toLocaleString('en')} characters._`,
    );
  }
  return lines;
}

/** The estimated cost in USD when the tool put a number in its arguments. */
function estimatedCost(args: Record<string, unknown>): number | undefined {
  for (const key of COST_KEYS) {
    const value = args[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

function callButtons(sessionId: string, toolCallId: string): ActionsBlock {
  const value = JSON.stringify({ sessionId, toolCallId } satisfies CallButtonValue);
  return {
    type: 'actions',
    elements: [
      button('Approve', APPROVAL_ACTIONS.approve, value, 'primary'),
      button('Reject', APPROVAL_ACTIONS.reject, value, 'danger'),
      button('Reject with feedback…', APPROVAL_ACTIONS.rejectWithFeedback, value),
    ],
  };
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

function decisionOf(
  decisions: readonly ApprovalCardDecision[],
  call: ApprovalCall,
): ApprovalCardDecision | undefined {
  return decisions.find((d) => d.toolCallId === call.toolCallId);
}

/** "✅ Approved by @user at 14:02" (in each reader's time zone), or rejected with the feedback. */
function decisionContext(decision: ApprovalCardDecision): ContextBlock {
  const verb = decision.approved ? '✅ Approved' : '❌ Rejected';
  const feedback = decision.feedback ? ` (feedback: ${escapeMrkdwn(oneLine(decision.feedback, 500))})` : '';
  const text = `${verb} by ${userMention(decision.by)} at ${slackDate(decision.at)}${feedback}`;
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function userMention(userId: string): string {
  const id = userId.replace(/[^A-Z0-9]/gi, '');
  return id ? `<@${id}>` : 'someone';
}

/** Slack's date token: rendered in the reader's time zone, with a UTC fallback. */
export function slackDate(atMs: number): string {
  const fallback = `${new Date(atMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(atMs / 1000)}^{time}|${fallback}>`;
}
