import { z } from 'zod';
import { mayApprove } from '../shared/access-policy.js';
import { ApprovalCards, toApprovalDecisions, type CardDecision } from '../shared/approval-decisions.js';
import { DEDUPE_TTL_MS, type SlackContext } from './slack-context.js';
import { cardBlocks, feedbackModalView } from './card-view.js';

/** A button click on one of our messages, reduced to what we act on. Untrusted input. */
const clickSchema = z.object({
  user: z.object({ id: z.string() }),
  trigger_id: z.string().optional(),
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional() }).optional(),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

const callValue = z.object({ sessionId: z.string(), toolCallId: z.string() });
const allValue = z.object({ sessionId: z.string(), toolCallIds: z.array(z.string()).min(1) });
export const feedbackMetadata = z.object({
  sessionId: z.string(),
  toolCallId: z.string(),
  channel: z.string(),
  cardTs: z.string(),
  threadTs: z.string(),
});

interface Where {
  user: string;
  channel: string;
  cardTs: string;
  threadTs: string;
}

/** Handles Approve / Reject / Approve all / Reject with feedback / Stop clicks. */
export async function handleClick(ctx: SlackContext, body: unknown): Promise<void> {
  const parsed = clickSchema.safeParse(body);
  if (!parsed.success) {
    ctx.logger.warn({ issue: parsed.error.issues[0]?.message }, 'malformed slack action ignored');
    return;
  }
  const click = parsed.data;
  const action = click.actions[0]!;
  const channel = click.channel?.id ?? click.container?.channel_id;
  const cardTs = click.message?.ts ?? click.container?.message_ts;
  if (!channel || !cardTs) return;
  const where: Where = { user: click.user.id, channel, cardTs, threadTs: click.message?.thread_ts ?? cardTs };
  const value = parseJson(action.value);
  switch (action.action_id) {
    case 'mlib_stop': {
      const sessionId = typeof value === 'string' ? value : (action.value ?? '');
      if (await allowed(ctx, sessionId, where))
        await ctx.gateway.submit(sessionId, { type: 'interrupt' }, where.user);
      return;
    }
    case 'mlib_approve':
    case 'mlib_reject': {
      const v = callValue.safeParse(value);
      if (v.success)
        await decide(ctx, v.data.sessionId, [v.data.toolCallId], action.action_id === 'mlib_approve', where);
      return;
    }
    case 'mlib_approve_all': {
      const v = allValue.safeParse(value);
      if (v.success) await decide(ctx, v.data.sessionId, v.data.toolCallIds, true, where);
      return;
    }
    case 'mlib_reject_feedback': {
      const v = callValue.safeParse(value);
      if (!v.success || !click.trigger_id || !(await allowed(ctx, v.data.sessionId, where))) return;
      const cards = new ApprovalCards(ctx.gateway.adapterState('slack'));
      const card = await cards.load(v.data.sessionId, where.cardTs);
      const call = card?.calls.find((c) => c.toolCallId === v.data.toolCallId);
      if (!call) return;
      await ctx.client.views.open({
        trigger_id: click.trigger_id,
        view: feedbackModalView({
          ...v.data,
          tool: call.tool,
          channel: where.channel,
          cardTs: where.cardTs,
          threadTs: where.threadTs,
        }),
      });
      return;
    }
    default:
      ctx.logger.debug({ actionId: action.action_id }, 'unknown slack action ignored');
  }
}

/** The "Reject with feedback" modal was submitted. */
export async function handleFeedback(
  ctx: SlackContext,
  user: string,
  privateMetadata: string,
  feedback: string,
) {
  const meta = feedbackMetadata.safeParse(parseJson(privateMetadata));
  if (!meta.success) return;
  const { sessionId, toolCallId, channel, cardTs, threadTs } = meta.data;
  await decide(ctx, sessionId, [toolCallId], false, { user, channel, cardTs, threadTs }, feedback);
}

/**
 * Records decisions on a card. The first click on a call wins (a double click is a no-op with a
 * note); once every call on the card is decided, one `exec_approval` goes to the session and the
 * card is edited to say who decided what, without buttons.
 */
async function decide(
  ctx: SlackContext,
  sessionId: string,
  toolCallIds: readonly string[],
  approved: boolean,
  where: Where,
  feedback?: string,
): Promise<void> {
  if (!(await allowed(ctx, sessionId, where))) return;
  const cards = new ApprovalCards(ctx.gateway.adapterState('slack'));
  const card = await cards.load(sessionId, where.cardTs);
  const onCard = toolCallIds.filter((id) => card?.calls.some((c) => c.toolCallId === id));
  if (!card || onCard.length === 0) return ephemeral(ctx, where, 'That approval is no longer open.');
  const fresh: CardDecision[] = [];
  for (const toolCallId of onCard) {
    if (card.decisions.some((d) => d.toolCallId === toolCallId)) continue;
    if (!(await ctx.gateway.claimOnce(`slack:decide:${sessionId}:${toolCallId}`, DEDUPE_TTL_MS))) continue;
    fresh.push({ toolCallId, approved, by: where.user, at: Date.now(), ...(feedback ? { feedback } : {}) });
  }
  if (fresh.length === 0) return ephemeral(ctx, where, 'That was already decided.');
  await cards.record(sessionId, where.cardTs, fresh);
  const decisions = [...card.decisions, ...fresh];
  const complete = card.calls.every((c) => decisions.some((d) => d.toolCallId === c.toolCallId));
  await ctx.client.chat.update({
    channel: where.channel,
    ts: where.cardTs,
    text: complete ? 'Approval decided' : 'Approval needed',
    blocks: cardBlocks(sessionId, card.calls, decisions),
  });
  if (complete) {
    await ctx.follow(sessionId); // the session may have gone quiet while the card waited
    await ctx.gateway.submit(
      sessionId,
      { type: 'exec_approval', decisions: toApprovalDecisions(decisions) },
      where.user,
    );
  }
}

/**
 * The clicker may act on this session: it exists, the button sits in the session's own thread (no
 * replaying a button into another session), and they are the owner or an approver.
 */
async function allowed(ctx: SlackContext, sessionId: string, where: Where): Promise<boolean> {
  const summary = sessionId ? await ctx.gateway.session(sessionId) : undefined;
  const thread = summary ? await ctx.gateway.threadOf(sessionId) : undefined;
  if (!summary || !thread || thread.channel !== where.channel || thread.thread !== where.threadTs) {
    ctx.logger.warn(
      { sessionId, channel: where.channel, user: where.user },
      'slack action for another thread refused',
    );
    await ephemeral(ctx, where, 'That button does not belong to this thread.');
    return false;
  }
  if (!mayApprove(ctx.approvers, summary.owner, where.user)) {
    await ephemeral(ctx, where, `Only <@${summary.owner}> or an approver can decide this.`);
    return false;
  }
  return true;
}

async function ephemeral(ctx: SlackContext, where: Where, text: string): Promise<void> {
  await ctx.client.chat.postEphemeral({
    channel: where.channel,
    user: where.user,
    thread_ts: where.threadTs,
    text,
  });
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
