import { userMessageOf } from '../../src/core/errors.js';
import { mayApprove } from '../shared/access-policy.js';
import type { InboundMessage } from './inbound-message.js';
import { reply } from './inbound-handler.js';
import type { SlackContext } from './slack-context.js';
import type { ThreadCommand } from '../shared/thread-commands.js';

/** Runs a thread command (`stop`, `undo`, `compact`, `new`, `status`, `model <id>`, `yolo on|off`). */
export async function runThreadCommand(
  ctx: SlackContext,
  command: ThreadCommand,
  message: InboundMessage,
  sessionId: string | undefined,
): Promise<void> {
  if (!sessionId) {
    await reply(ctx, message, 'There is no session in this thread yet: mention me with a task to start one.');
    return;
  }
  const summary = await ctx.gateway.session(sessionId);
  if (!summary) return;
  const privileged = mayApprove(ctx.approvers, summary.owner, message.user);
  switch (command.kind) {
    case 'stop':
      await ctx.gateway.submit(sessionId, { type: 'interrupt' }, message.user);
      return;
    case 'undo':
    case 'compact':
    case 'new':
      await ctx.follow(sessionId);
      await ctx.gateway.submit(sessionId, { type: command.kind }, message.user);
      return;
    case 'status': {
      const cost = summary.costUsd.toFixed(4);
      const used =
        summary.contextWindow > 0 ? Math.round((100 * summary.contextTokens) / summary.contextWindow) : 0;
      await reply(
        ctx,
        message,
        `*${summary.status}* · \`${summary.model}\` · ${summary.inputTokens.toLocaleString('en')} in / ` +
          `${summary.outputTokens.toLocaleString('en')} out tokens · $${cost} · context ${used}% used`,
      );
      return;
    }
    case 'model':
    case 'yolo': {
      if (!privileged) {
        await ctx.client.chat.postEphemeral({
          channel: message.channel,
          user: message.user,
          thread_ts: message.threadTs,
          text: `Only the session's owner or an approver can change ${command.kind === 'model' ? 'the model' : 'yolo mode'}.`,
        });
        return;
      }
      try {
        if (command.kind === 'model') {
          await ctx.gateway.configureSession(sessionId, { model: command.model });
          await reply(ctx, message, `Model set to \`${command.model}\` from the next message on.`);
        } else {
          await ctx.gateway.configureSession(sessionId, { yolo: command.on });
          await reply(
            ctx,
            message,
            command.on
              ? 'Yolo mode on: tool calls run without asking.'
              : 'Yolo mode off: costly tool calls ask first.',
          );
        }
      } catch (err) {
        await reply(ctx, message, userMessageOf(err).message);
      }
      return;
    }
  }
}
