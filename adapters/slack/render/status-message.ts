import type { KnownBlock } from '@slack/types';
import type { Usage } from '../../../src/core/events.js';
import { escapeMrkdwn, oneLine, type SlackMessageContent } from './mrkdwn.js';

/**
 * The status message of a turn: "Working…" with a Stop button while the turn runs (and while it
 * waits for an approval, so a user can still end it), edited in place to its finished form —
 * done, interrupted or error — which has no button, since there is nothing left to stop.
 */

/** The Stop button's action id; its value is the session id. */
export const STOP_ACTION_ID = 'mlib_stop';

/** The state a turn's status message shows. */
export type TurnStatus =
  | {
      kind: 'working';
      sessionId: string;
      /** What the intern is doing now, in a few words ("running `hf_jobs`"); plain text. */
      activity?: string;
    }
  | { kind: 'awaiting_approval'; sessionId: string }
  | {
      kind: 'done';
      usage?: Usage;
      costUsd?: number;
      elapsedMs?: number;
      /** The turn stopped at the iteration limit instead of finishing. */
      maxIterations?: boolean;
    }
  | { kind: 'interrupted' }
  | { kind: 'error'; code?: string };

/** The status message for `status`: a context line, plus the Stop button while the turn is live. */
export function statusMessage(status: TurnStatus): SlackMessageContent {
  const line = statusLine(status);
  const blocks: KnownBlock[] = [{ type: 'context', elements: [{ type: 'mrkdwn', text: line }] }];
  if (status.kind === 'working' || status.kind === 'awaiting_approval') {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Stop' },
          style: 'danger',
          action_id: STOP_ACTION_ID,
          value: status.sessionId,
        },
      ],
    });
  }
  return { text: line, blocks };
}

function statusLine(status: TurnStatus): string {
  switch (status.kind) {
    case 'working':
      return status.activity ? `⏳ Working… ${escapeMrkdwn(oneLine(status.activity, 200))}` : '⏳ Working…';
    case 'awaiting_approval':
      return '✋ Waiting for approval';
    case 'done': {
      const head = status.maxIterations ? '⚠️ Stopped at the iteration limit' : '✅ Done';
      return [head, ...doneDetails(status)].join(' · ');
    }
    case 'interrupted':
      return '⏹ Stopped';
    case 'error':
      return status.code
        ? `⚠️ Stopped on an error (\`${escapeMrkdwn(oneLine(status.code, 60))}\`)`
        : '⚠️ Stopped on an error';
  }
}

function doneDetails(status: Extract<TurnStatus, { kind: 'done' }>): string[] {
  const details: string[] = [];
  if (status.elapsedMs !== undefined) details.push(formatDuration(status.elapsedMs));
  if (status.usage) {
    const tokens = status.usage.inputTokens + status.usage.outputTokens;
    details.push(`${tokens.toLocaleString('en')} tokens`);
  }
  if (status.costUsd !== undefined) details.push(`$${status.costUsd.toFixed(status.costUsd < 1 ? 4 : 2)}`);
  return details;
}

/** "850 ms", "12 s", "3 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
