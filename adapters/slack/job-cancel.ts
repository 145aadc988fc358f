import { z } from 'zod';
import { mayApprove } from '../shared/access-policy.js';
import { loadJobCard } from './job-cards.js';
import { SLACK_STYLE } from './card-view.js';
import { PLATFORM, type SlackContext } from './slack-context.js';

/** The Cancel button's value (see `cancelValue`): untrusted, as every click payload. */
const cancelValue = z.object({
  sessionId: z.string().min(1).max(200),
  namespace: z.string().min(1).max(200),
  jobId: z.string().min(1).max(200),
});

/** A second click on the same card within this long is answered, not submitted again. */
const CANCEL_CLAIM_TTL_MS = 30_000;

/** Where the click happened, in Slack's ids. */
export interface CancelClick {
  user: string;
  channel: string;
  /** The message the button is on. */
  cardTs: string;
  threadTs: string;
}

/**
 * A job card's Cancel click. It goes through when the click is on the job's own card in the
 * session's thread, the job has not ended, and the clicker is the session's owner or an approver
 * (as for approvals); then one `cancel_job` is submitted in their name and they are told so.
 * Anyone else gets an ephemeral refusal, and the refusal is logged.
 */
export async function handleJobCancel(ctx: SlackContext, click: CancelClick, value: unknown): Promise<void> {
  const tell = (text: string) =>
    ctx.client.chat.postEphemeral({
      channel: click.channel,
      user: click.user,
      thread_ts: click.threadTs,
      text,
    });
  const parsed = cancelValue.safeParse(value);
  if (!parsed.success) {
    ctx.logger.warn(
      { user: click.user, issue: parsed.error.issues[0]?.message },
      'malformed job cancel ignored',
    );
    return;
  }
  const { sessionId, namespace, jobId } = parsed.data;
  const log = { sessionId, jobId, user: click.user, channel: click.channel };
  const summary = await ctx.gateway.session(sessionId);
  const thread = summary?.thread;
  const card = await loadJobCard(ctx.gateway.adapterState(PLATFORM), sessionId, jobId);
  // The button must be this job's card in this session's thread: no replaying it elsewhere.
  if (
    !summary ||
    thread?.platform !== PLATFORM ||
    thread.channel !== click.channel ||
    thread.thread !== click.threadTs ||
    card?.ts !== click.cardTs ||
    card.namespace !== namespace
  ) {
    ctx.logger.warn(log, 'job cancel for another thread or card refused');
    await tell('That button does not belong to this thread.');
    return;
  }
  if (!mayApprove(ctx.approvers, summary.owner, click.user)) {
    ctx.logger.warn(log, 'job cancel refused: not the owner or an approver');
    await tell(`Only ${SLACK_STYLE.mention(summary.owner)} or an approver can cancel this job.`);
    return;
  }
  if (card.final || card.dropped) {
    await tell('That job has already ended.');
    return;
  }
  if (!(await ctx.gateway.claimOnce(`${PLATFORM}:cancel:${sessionId}:${jobId}`, CANCEL_CLAIM_TTL_MS))) {
    await tell('Already cancelling…');
    return;
  }
  await ctx.follow(sessionId); // the outcome (or why it failed) is shown in the thread
  await ctx.gateway.submit(sessionId, { type: 'cancel_job', namespace, jobId }, click.user);
  ctx.logger.info(log, 'job cancel submitted');
  await tell('Cancelling…');
}
