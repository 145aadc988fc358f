import { MAX_USER_TEXT_CHARS } from '../../src/core/operations.js';
import type { ThreadRef } from '../../src/core/agent-gateway.js';
import { accessDenied } from '../shared/access-policy.js';
import { claimThread, liveSession } from '../shared/thread-sessions.js';
import { describeAttachments } from '../shared/attached-files.js';
import { parseInbound, type InboundMessage } from './inbound-message.js';
import { DEDUPE_TTL_MS, PLATFORM, type SlackContext } from './slack-context.js';
import { runThreadCommand } from '../shared/thread-command-runner.js';
import { SLACK_STYLE } from './card-view.js';
import { parseThreadCommand } from '../shared/thread-commands.js';
import { recordParticipant } from './thread-participants.js';

/**
 * One Slack message (app_mention or message event) → at most one operation. Slack sends an
 * app_mention and a message event for the same message, and retries events it thinks were lost:
 * both are deduplicated on channel + ts, so each message is taken once.
 */
export async function handleInbound(ctx: SlackContext, rawEvent: unknown): Promise<void> {
  const parsed = parseInbound(rawEvent, ctx.botUserId);
  if (!parsed.ok) {
    ctx.logger.debug({ reason: parsed.reason }, 'slack event ignored');
    return;
  }
  const message = parsed.message;
  const ref: ThreadRef = { platform: PLATFORM, channel: message.channel, thread: message.threadTs };
  const existing = await liveSession(ctx.gateway, ref);
  // A plain message is only for us inside a thread that has a session.
  if (message.kind === 'thread_reply' && (!message.inThread || !existing)) {
    ctx.logger.debug(
      { ts: message.ts, channel: message.channel },
      'slack message outside a session thread ignored',
    );
    return;
  }
  if (!(await ctx.gateway.claimOnce(`slack:msg:${message.channel}:${message.ts}`, DEDUPE_TTL_MS))) {
    ctx.logger.debug({ ts: message.ts }, 'duplicate slack message ignored');
    return;
  }
  const denied = accessDenied(ctx.access, { ...message, isDm: message.kind === 'dm' });
  if (denied) {
    ctx.logger.info({ user: message.user, channel: message.channel, reason: denied }, 'slack user refused');
    await ctx.client.chat.postEphemeral({
      channel: message.channel,
      user: message.user,
      thread_ts: message.inThread ? message.threadTs : undefined,
      text: `Sorry, ${denied}. Ask an admin of the bot to add you.`,
    });
    return;
  }

  const command = message.kind === 'thread_reply' ? undefined : parseThreadCommand(message.text);
  // Whoever writes in a session's thread may be mentioned in its answers.
  if (existing) await recordParticipant(ctx.gateway, existing, message.user);
  if (command) {
    const deps = { ...ctx, bold: SLACK_STYLE.bold };
    await runThreadCommand(deps, command, message.user, existing, {
      say: (text) => reply(ctx, message, text),
      tell: async (text) => {
        await ctx.client.chat.postEphemeral({
          channel: message.channel,
          user: message.user,
          thread_ts: message.threadTs,
          text,
        });
      },
    });
    return;
  }
  const text = await messageText(ctx, message);
  if (text.trim() === '') {
    await reply(
      ctx,
      message,
      'Tell me what to do, e.g. "fine-tune a small Llama on my dataset and push it".',
    );
    return;
  }
  if (text.length > MAX_USER_TEXT_CHARS) {
    await reply(
      ctx,
      message,
      `That message is too long for me (${text.length.toLocaleString('en')} characters; the limit is ${MAX_USER_TEXT_CHARS.toLocaleString('en')}). Attach it as a file instead.`,
    );
    return;
  }
  const sessionId = existing ?? (await startSession(ctx, message, ref));
  // The turn is queued without waiting on Slack for the eyes and the status: under a burst those
  // round trips were most of the time from a mention to its turn starting. Following from the
  // stored cursor (or the start) sees the operation's events whichever finishes first.
  const acknowledged = acknowledge(ctx, message);
  await Promise.all([
    ctx.follow(sessionId),
    ctx.gateway.submit(sessionId, { type: 'user_input', text }, message.user),
  ]);
  await acknowledged;
}

/** The thread's session, unless it has ended (a new mention then starts a fresh one). */
async function startSession(ctx: SlackContext, message: InboundMessage, ref: ThreadRef): Promise<string> {
  const created = await ctx.gateway.startSession({
    owner: message.user,
    platform: PLATFORM,
    channel: message.channel,
    thread: message.threadTs,
  });
  // The team is needed later to stream answers to this user (Slack asks for it outside DMs). Both
  // writes go out together: one round trip.
  const [, holder] = await Promise.all([
    message.team ? ctx.gateway.adapterState(PLATFORM).set(created, { team: message.team }) : undefined,
    claimThread(ctx.gateway, ref, created),
  ]);
  return holder;
}

async function messageText(ctx: SlackContext, message: InboundMessage): Promise<string> {
  if (message.files.length === 0) return message.text;
  const files = await describeAttachments(
    message.files.map((f) => ({
      name: f.name,
      mimetype: f.mimetype,
      size: f.size,
      url: f.url_private_download ?? f.url_private,
    })),
    { headers: { Authorization: `Bearer ${ctx.botToken}` }, maxBytes: ctx.maxFileBytes, fetch: ctx.fetch },
  );
  return [message.text, files].filter((p) => p !== '').join('\n\n');
}

/** Visible within a second: eyes on the message, and the thread's "is working" status where supported. */
async function acknowledge(ctx: SlackContext, message: InboundMessage): Promise<void> {
  await Promise.all([
    ctx.client.reactions
      .add({ channel: message.channel, timestamp: message.ts, name: 'eyes' })
      .catch((err: unknown) => {
        ctx.logger.debug({ err }, 'reaction failed');
      }),
    ctx.client.assistant.threads
      .setStatus({ channel_id: message.channel, thread_ts: message.threadTs, status: 'is working…' })
      .catch(() => undefined), // not every workspace or conversation supports it
  ]);
}

export async function reply(ctx: SlackContext, message: InboundMessage, text: string): Promise<void> {
  await ctx.client.chat.postMessage({ channel: message.channel, thread_ts: message.threadTs, text });
}
