import type { Message } from 'discord.js';
import { MAX_USER_TEXT_CHARS } from '../../src/core/operations.js';
import type { ThreadRef } from '../../src/core/agent-gateway.js';
import { claimThread, liveSession } from '../shared/thread-sessions.js';
import { describeAttachments } from '../shared/attached-files.js';
import { discordRefusal } from './discord-access.js';
import { DEDUPE_TTL_MS, MAX_THREAD_NAME, PLATFORM, type DiscordContext } from './discord-context.js';
import { NO_MENTIONS } from './discord-views.js';

/**
 * One Discord message → at most one operation. A mention in a channel opens a public thread from
 * the message and starts a session there; messages in a session's thread, and DMs, go to their
 * session without a mention.
 */
export async function handleDiscordMessage(ctx: DiscordContext, message: Message): Promise<void> {
  const botId = ctx.client.user.id;
  if (message.author.bot || message.author.id === botId || message.system) return;
  const channel = message.channel;
  const isDm = channel.isDMBased();
  const inThread = channel.isThread();
  const botRole = message.guild?.members.me?.roles.botRole;
  const mentioned =
    message.mentions.users.has(botId) ||
    (botRole !== undefined && botRole !== null && message.mentions.roles.has(botRole.id));
  const here: ThreadRef = { platform: PLATFORM, channel: message.channelId, thread: message.channelId };
  const existing = isDm || inThread ? await liveSession(ctx.gateway, here) : undefined;
  if (!isDm && !existing && !mentioned) return;
  if (!(await ctx.gateway.claimOnce(`discord:msg:${message.id}`, DEDUPE_TTL_MS))) return;

  const refusal = await discordRefusal(ctx, {
    guild: message.guildId ?? undefined,
    channel: inThread ? (channel.parentId ?? message.channelId) : message.channelId,
    user: message.author.id,
    isDm,
    roles: message.member ? [...message.member.roles.cache.keys()] : [],
  });
  if (refusal) {
    ctx.logger.info({ user: message.author.id, reason: refusal.reason, isDm }, 'discord user refused');
    await tellPrivately(message, refusal.reply);
    return;
  }

  const text = await messageText(ctx, message, botId, botRole?.id);
  if (text.trim() === '') {
    await message.reply({
      content: 'Tell me what to do, e.g. "fine-tune a small Llama on my dataset and push it".',
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  if (text.length > MAX_USER_TEXT_CHARS) {
    await message.reply({
      content: `That message is too long for me (${text.length.toLocaleString('en')} characters; the limit is ${MAX_USER_TEXT_CHARS.toLocaleString('en')}). Attach it as a file instead.`,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  const sessionId = existing ?? (await startSession(ctx, message, text, isDm || inThread ? here : undefined));
  // Together: following from the stored cursor (or the start) sees the operation's events either way.
  await Promise.all([
    ctx.follow(sessionId),
    ctx.gateway.submit(sessionId, { type: 'user_input', text }, message.author.id),
  ]);
}

/** A session in `where`, or in a new public thread started from the message. */
async function startSession(
  ctx: DiscordContext,
  message: Message,
  text: string,
  where: ThreadRef | undefined,
) {
  let ref = where;
  if (!ref) {
    const thread = await message.startThread({ name: threadName(text) });
    ref = { platform: PLATFORM, channel: thread.id, thread: thread.id };
  }
  const created = await ctx.gateway.startSession({
    owner: message.author.id,
    platform: PLATFORM,
    channel: ref.channel,
    thread: ref.thread,
  });
  return claimThread(ctx.gateway, ref, created);
}

/** The prompt's first line, as a thread name (≤ 100 characters). */
export function threadName(text: string): string {
  const first = text.split('\n')[0]?.trim() || 'ML intern session';
  return first.length > MAX_THREAD_NAME ? `${first.slice(0, MAX_THREAD_NAME - 1)}…` : first;
}

async function messageText(ctx: DiscordContext, message: Message, botId: string, roleId: string | undefined) {
  let text = message.content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ');
  if (roleId) text = text.replace(new RegExp(`<@&${roleId}>`, 'g'), ' ');
  text = text.replace(/[ \t]+/g, ' ').trim();
  if (message.attachments.size === 0) return text;
  const files = await describeAttachments(
    [...message.attachments.values()].map((a) => ({
      name: a.name,
      mimetype: a.contentType ?? 'application/octet-stream',
      size: a.size,
      url: a.url,
    })),
    { maxBytes: ctx.maxFileBytes, fetch: ctx.fetch },
  );
  return [text, files].filter((p) => p !== '').join('\n\n');
}

/** Discord has no ephemeral messages outside interactions: a DM, else a reply. */
async function tellPrivately(message: Message, text: string): Promise<void> {
  try {
    await message.author.send({ content: text, allowedMentions: NO_MENTIONS });
  } catch {
    await message.reply({ content: text, allowedMentions: NO_MENTIONS });
  }
}
