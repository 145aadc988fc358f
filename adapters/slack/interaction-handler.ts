import { z } from 'zod';
import {
  cardCall,
  decideOnCard,
  mayActOn,
  type ApprovalFlowDeps,
  type ApprovalSurface,
  type ClickSite,
} from '../shared/approval-flow.js';
import { PLATFORM, type SlackContext } from './slack-context.js';
import { cardBlocks, feedbackModalView, SLACK_STYLE } from './card-view.js';
import { recordParticipant } from './thread-participants.js';
import { JOB_CANCEL_ACTION } from './job-card.js';
import { handleJobCancel } from './job-cancel.js';

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

/** Handles Approve / Reject / Approve all / Reject with feedback / Stop / job Cancel clicks. */
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
      await noteClicker(ctx, sessionId, where);
      if (await allowed(ctx, sessionId, where))
        await ctx.gateway.submit(sessionId, { type: 'interrupt' }, where.user);
      return;
    }
    case 'mlib_approve':
    case 'mlib_reject': {
      const v = callValue.safeParse(value);
      if (v.success) await noteClicker(ctx, v.data.sessionId, where);
      if (v.success)
        await decide(ctx, v.data.sessionId, [v.data.toolCallId], action.action_id === 'mlib_approve', where);
      return;
    }
    case 'mlib_approve_all': {
      const v = allValue.safeParse(value);
      if (v.success) await noteClicker(ctx, v.data.sessionId, where);
      if (v.success) await decide(ctx, v.data.sessionId, v.data.toolCallIds, true, where);
      return;
    }
    case 'mlib_reject_feedback': {
      const v = callValue.safeParse(value);
      if (v.success) await noteClicker(ctx, v.data.sessionId, where);
      if (!v.success || !click.trigger_id || !(await allowed(ctx, v.data.sessionId, where))) return;
      const call = await cardCall(ctx.gateway, PLATFORM, v.data.sessionId, where.cardTs, v.data.toolCallId);
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
    case JOB_CANCEL_ACTION: {
      const sessionId = (value as { sessionId?: unknown } | undefined)?.sessionId;
      if (typeof sessionId === 'string') await noteClicker(ctx, sessionId, where);
      await handleJobCancel(ctx, where, value);
      return;
    }
    default:
      ctx.logger.debug({ actionId: action.action_id }, 'unknown slack action ignored');
  }
}

/** A click in the session's own thread makes the clicker one of its participants (mentionable). */
async function noteClicker(ctx: SlackContext, sessionId: string, where: Where): Promise<void> {
  if (sessionId === '') return;
  const thread = (await ctx.gateway.session(sessionId))?.thread;
  if (thread?.platform === PLATFORM && thread.channel === where.channel && thread.thread === where.threadTs)
    await recordParticipant(ctx.gateway, sessionId, where.user);
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

/** The shared approval flow, with Slack's way of telling the clicker and redrawing the card. */
function decide(
  ctx: SlackContext,
  sessionId: string,
  toolCallIds: readonly string[],
  approved: boolean,
  where: Where,
  feedback?: string,
): Promise<void> {
  return decideOnCard(flowDeps(ctx), surface(ctx, where, sessionId), site(where), {
    sessionId,
    toolCallIds,
    approved,
    ...(feedback ? { feedback } : {}),
  });
}

function allowed(ctx: SlackContext, sessionId: string, where: Where): Promise<boolean> {
  return mayActOn(flowDeps(ctx), surface(ctx, where, sessionId), sessionId, site(where));
}

function flowDeps(ctx: SlackContext): ApprovalFlowDeps {
  return { ...ctx, platform: PLATFORM, mention: SLACK_STYLE.mention };
}

function site(where: Where): ClickSite {
  return {
    platform: PLATFORM,
    user: where.user,
    channel: where.channel,
    thread: where.threadTs,
    cardId: where.cardTs,
  };
}

function surface(ctx: SlackContext, where: Where, sessionId: string): ApprovalSurface {
  return {
    tell: (text) => ephemeral(ctx, where, text),
    redraw: async (calls, decisions, complete) => {
      await ctx.client.chat.update({
        channel: where.channel,
        ts: where.cardTs,
        text: complete ? 'Approval decided' : 'Approval needed',
        blocks: cardBlocks(sessionId, calls, decisions),
      });
    },
  };
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
