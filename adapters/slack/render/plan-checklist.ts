import type { Todo } from '../../../src/core/events.js';
import { escapeMrkdwn, oneLine, SLACK_LIMITS, type SlackMessageContent } from './mrkdwn.js';

/**
 * A `plan_update` as one checklist message, edited in place on every update (the plan is always
 * shown whole, so the newest content replaces the old).
 */

const MARK: Record<Todo['status'], string> = {
  pending: '☐',
  in_progress: '◐',
  completed: '☑',
};

/** Characters of one todo shown; the model may write paragraphs. */
const TODO_CHARS = 300;

/** The checklist: a title with progress, then one line per todo (☐ pending, ◐ in progress, ☑ done). */
export function planChecklist(todos: readonly Todo[]): SlackMessageContent {
  const done = todos.filter((t) => t.status === 'completed').length;
  const title = todos.length === 0 ? '*Plan* (empty)' : `*Plan* (${done}/${todos.length} done)`;
  const lines = [title];
  let length = title.length;
  for (const [i, todo] of todos.entries()) {
    const text = escapeMrkdwn(oneLine(todo.content, TODO_CHARS));
    const line =
      todo.status === 'in_progress' ? `${MARK[todo.status]} *${text}*` : `${MARK[todo.status]} ${text}`;
    // Far below any real plan's size, but a message must never exceed Slack's limit.
    if (length + line.length + 100 > SLACK_LIMITS.messageText) {
      lines.push(`_…and ${todos.length - i} more_`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return { text: lines.join('\n') };
}
