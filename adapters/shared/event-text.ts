import type { AgentEvent, OperationOutcome, Todo, ToolState, Usage } from '../../src/core/events.js';
import type { CardCall, CardDecision } from './approval-decisions.js';
import { costText } from './cost-text.js';
import type { CostEstimate } from '../../src/core/events.js';

/**
 * What to show for which event, platform-neutral: the words and emoji of status lines, tool
 * lines, plans, notices and approval summaries. Each platform wraps these in its own message shapes
 * (Block Kit, Discord components) and supplies its own markup through {@link TextStyle}.
 */

/** The platform's markup for the few styled pieces. */
export interface TextStyle {
  bold: (text: string) => string;
  italic: (text: string) => string;
  mention: (userId: string) => string;
  /** A time the reader sees in their own timezone where the platform can. */
  time: (ms: number) => string;
}

export interface ToolLine {
  tool: string;
  args: Record<string, unknown>;
  state: ToolState;
  output?: string;
  ok?: boolean;
}

export type TurnStatus =
  'working' | 'awaiting_approval' | 'done' | 'interrupted' | 'error' | 'max_iterations' | 'ended';

const STATUS_TEXT: Record<TurnStatus, string> = {
  working: '⏳ Working…',
  awaiting_approval: '✋ Waiting for approval',
  done: '✅ Done',
  interrupted: '⏹️ Stopped',
  error: '⚠️ Stopped on an error',
  max_iterations: '⏸️ Stopped at the step limit',
  ended: '⏹️ Session ended',
};

/** The status line an operation ends with, from its `operation_complete` outcome. */
export function turnStatusOf(outcome: OperationOutcome): TurnStatus {
  return outcome;
}

/** Whether the status message offers a Stop button. */
export function stoppable(status: TurnStatus): boolean {
  return status === 'working' || status === 'awaiting_approval';
}

export function statusText(
  status: TurnStatus,
  extra?: { usage: Usage; costUsd: number; costUnknown?: boolean | undefined },
): string {
  const detail = extra
    ? ` · ${(extra.usage.inputTokens + extra.usage.outputTokens).toLocaleString('en')} tokens · ${costText(extra.costUsd, extra.costUnknown)}`
    : '';
  return `${STATUS_TEXT[status]}${detail}`;
}

const STATE_MARK: Record<ToolState, string> = {
  running: '⏳',
  waiting_approval: '✋',
  approved: '👍',
  rejected: '🚫',
  completed: '✅',
  failed: '❌',
  abandoned: '⏹️',
  cancelled: '⏹️',
  unknown: '❓',
};

/** One compact line per tool call: state, tool, key arguments, and an excerpt of the output. */
export function toolLinesText(lines: readonly ToolLine[]): string {
  return lines
    .map((l) => {
      const out = l.output !== undefined ? ` → ${oneLine(l.output, l.ok === false ? 300 : 120)}` : '';
      return `${STATE_MARK[l.state]} \`${l.tool}\` ${oneLine(keyArgs(l.args), 120)}${out}`;
    })
    .join('\n');
}

const PLAN_MARK: Record<Todo['status'], string> = { pending: '⬜', in_progress: '▶️', completed: '☑️' };

export function planText(todos: readonly Todo[], style: TextStyle): string {
  return [style.bold('Plan'), ...todos.map((t) => `${PLAN_MARK[t.status]} ${oneLine(t.content, 200)}`)].join(
    '\n',
  );
}

/** The short notice an event deserves in the thread, or `undefined` when it shows nothing. */
export function noticeText(event: AgentEvent): string | undefined {
  switch (event.type) {
    case 'compacted':
      return `🗜️ Compacted the conversation (${event.oldTokens.toLocaleString('en')} → ${event.newTokens.toLocaleString('en')} tokens).`;
    case 'undo_complete':
      return `↩️ Undone (${event.removed} messages removed).`;
    case 'error':
      return `⚠️ ${event.message}`;
    case 'shutdown':
      return event.replacedBy ? 'Started a fresh session in this thread.' : 'This session has ended.';
    default:
      return undefined;
  }
}

/** Argument names whose value is code: shown as a code block, not squeezed into one line. */
const CODE_ARGS = new Set(['script', 'code', 'command', 'cmd', 'source', 'python', 'bash']);
const COST_ARGS = ['estimatedCostUsd', 'estimated_cost_usd', 'cost_estimate', 'costEstimateUsd'];

/** One call on an approval card: tool, key arguments, reason, estimated cost, any script cut to `maxCode`. */
export function callSummaryText(call: CardCall, style: TextStyle, maxCode = 1_500): string {
  const code = Object.entries(call.args).find(([k, v]) => CODE_ARGS.has(k) && typeof v === 'string');
  const rest = Object.fromEntries(Object.entries(call.args).filter(([k]) => k !== code?.[0]));
  const cost = COST_ARGS.map((k) => call.args[k]).find((v): v is number => typeof v === 'number');
  const lines = [`\`${call.tool}\` ${oneLine(keyArgs(rest), 600)}`];
  if (call.reason) lines.push(style.italic(call.reason));
  if (call.estimate) lines.push(estimateText(call.estimate, style));
  else if (cost !== undefined) lines.push(`Estimated cost: ${style.bold(`$${cost.toFixed(2)}`)}`);
  if (code) {
    const text = String(code[1]);
    const cut = text.length - maxCode;
    const shown = cut > 0 ? `${text.slice(0, maxCode)}\n… (${cut} more characters)` : text;
    lines.push(`\`\`\`\n${shown.replace(/```/g, "'''")}\n\`\`\``);
  }
  return lines.join('\n');
}

/**
 * "Estimated cost: **$2.00** (a10g-small … for 2 h at $1.00/h) · this thread has spent $0.41", or
 * "No estimate: <why>": the same figures on every platform, from the event's data.
 */
export function estimateText(estimate: CostEstimate, style: Pick<TextStyle, 'bold'>): string {
  const spent = `this thread has spent $${estimate.spentUsd.toFixed(2)}`;
  return estimate.usd === null
    ? `${style.bold('No estimate')}: ${estimate.basis} · ${spent}`
    : `Estimated cost: ${style.bold(`$${estimate.usd.toFixed(2)}`)} (${estimate.basis}) · ${spent}`;
}

/** "✅ Approved by @who at 12:03 (feedback: …)". */
export function decisionText(decision: CardDecision, style: TextStyle): string {
  const verb = decision.approved ? '✅ Approved' : '❌ Rejected';
  const note = decision.feedback ? ` (feedback: ${oneLine(decision.feedback, 200)})` : '';
  return `${verb} by ${style.mention(decision.by)} at ${style.time(decision.at)}${note}`;
}

/** `k=v` for each argument; long values cut by the caller's line limit. */
export function keyArgs(args: Record<string, unknown>): string {
  return Object.entries(args)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
