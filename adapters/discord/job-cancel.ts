import { mayApprove } from '../shared/access-policy.js';
import type { ClickSite } from '../shared/approval-flow.js';
import { PLATFORM, type DiscordContext } from './discord-context.js';
import { JobCardState } from './job-card-state.js';
import { DISCORD_STYLE } from './discord-views.js';

/** A second Cancel click on the same job within this time is told it was already asked for. */
const CANCEL_CLAIM_MS = 60_000;

/**
 * A job card's Cancel click. The custom id only points at a session and a job; the click counts
 * when it happened in that session's own thread, on the card the session stored for that job (not
 * a replayed id on another message), while the job still runs, by the session's owner or an
 * approver (`mayApprove`, the rule of the approval buttons). Then one `cancel_job`, with the
 * namespace the card stored, goes to the session as the clicker. Every refusal is a private note to
 * the clicker and a log line; nothing is submitted.
 */
export async function cancelJobFromCard(
  ctx: DiscordContext,
  tell: (text: string) => Promise<void>,
  site: ClickSite,
  target: { sessionId: string; jobId: string },
): Promise<void> {
  const { sessionId, jobId } = target;
  const refuse = async (reason: string, reply: string) => {
    ctx.logger.info(
      { sessionId, jobId, user: site.user, channel: site.channel, reason },
      'job cancel refused',
    );
    await tell(reply);
  };
  const summary = await ctx.gateway.session(sessionId);
  const thread = summary?.thread;
  if (
    !summary ||
    !thread ||
    thread.platform !== PLATFORM ||
    thread.channel !== site.channel ||
    thread.thread !== site.thread
  ) {
    return refuse('another thread', 'That button does not belong to this thread.');
  }
  if (!mayApprove(ctx.approvers, summary.owner, site.user)) {
    return refuse(
      'not an approver',
      `Only ${DISCORD_STYLE.mention(summary.owner)} or an approver can cancel this job.`,
    );
  }
  const card = await new JobCardState(ctx.gateway.adapterState(PLATFORM)).load(sessionId, jobId);
  if (!card || card.messageId !== site.cardId) {
    return refuse('not this job card', 'That button does not belong to this job card.');
  }
  if (card.final || card.dropped) return refuse('job ended', 'That job has already ended.');
  if (!(await ctx.gateway.claimOnce(`${PLATFORM}:cancel_job:${sessionId}:${jobId}`, CANCEL_CLAIM_MS))) {
    return tell('Cancelling that job was already asked for.');
  }
  await ctx.follow(sessionId);
  await ctx.gateway.submit(sessionId, { type: 'cancel_job', namespace: card.namespace, jobId }, site.user);
  ctx.logger.info({ sessionId, jobId, user: site.user }, 'job cancel requested');
  await tell(`Cancelling job \`${jobId}\`…`);
}
