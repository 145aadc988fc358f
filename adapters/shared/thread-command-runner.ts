import { userMessageOf } from '../../src/core/errors.js';
import type { AdapterContext } from './adapter-context.js';
import { mayApprove } from './access-policy.js';
import type { ThreadCommand } from './thread-commands.js';
import { costText } from './cost-text.js';

/** How a command answers: in the thread for everyone, or privately to the one who asked. */
export interface CommandReplies {
  say(text: string): Promise<void>;
  tell(text: string): Promise<void>;
}

/** The shared context plus the platform's markup for bold text. */
export type CommandDeps = Pick<AdapterContext, 'gateway' | 'approvers' | 'follow'> & {
  bold: (text: string) => string;
};

/**
 * Runs a thread command (`stop`, `undo`, `compact`, `new`, `status`, `model <id>`, `yolo on|off`),
 * the same on every platform. Changing the model or yolo mode is for the owner and the approvers.
 */
export async function runThreadCommand(
  deps: CommandDeps,
  command: ThreadCommand,
  user: string,
  sessionId: string | undefined,
  replies: CommandReplies,
): Promise<void> {
  if (!sessionId) {
    await replies.tell('There is no session in this thread yet: mention me with a task to start one.');
    return;
  }
  const summary = await deps.gateway.session(sessionId);
  if (!summary) return;
  switch (command.kind) {
    case 'stop':
      await deps.gateway.submit(sessionId, { type: 'interrupt' }, user);
      await replies.tell('Stopping.');
      return;
    case 'undo':
    case 'compact':
    case 'new':
      await deps.follow(sessionId);
      await deps.gateway.submit(sessionId, { type: command.kind }, user);
      await replies.tell(`${command.kind[0]!.toUpperCase()}${command.kind.slice(1)} requested.`);
      return;
    case 'status': {
      const used =
        summary.contextWindow > 0 ? Math.round((100 * summary.contextTokens) / summary.contextWindow) : 0;
      await replies.say(
        `${deps.bold(summary.status)} · \`${summary.model}\` · ${summary.inputTokens.toLocaleString('en')} in / ` +
          `${summary.outputTokens.toLocaleString('en')} out tokens · ${costText(summary.costUsd, summary.costUnknown)} · context ${used}% used`,
      );
      return;
    }
    case 'model':
    case 'yolo': {
      if (!mayApprove(deps.approvers, summary.owner, user)) {
        await replies.tell(
          `Only the session's owner or an approver can change ${command.kind === 'model' ? 'the model' : 'yolo mode'}.`,
        );
        return;
      }
      try {
        if (command.kind === 'model') {
          await deps.gateway.configureSession(sessionId, { model: command.model });
          await replies.say(`Model set to \`${command.model}\` from the next message on.`);
        } else {
          await deps.gateway.configureSession(sessionId, { yolo: command.on });
          await replies.say(
            command.on
              ? 'Yolo mode on: tool calls run without asking.'
              : 'Yolo mode off: costly tool calls ask first.',
          );
        }
      } catch (err) {
        await replies.tell(userMessageOf(err).message);
      }
      return;
    }
  }
}
