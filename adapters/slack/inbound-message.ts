import { z } from 'zod';

/** What we use of a Slack message or app_mention event; everything else is ignored. Untrusted input. */
const fileSchema = z.object({
  id: z.string().optional(),
  name: z.string().default('file'),
  mimetype: z.string().default('application/octet-stream'),
  filetype: z.string().optional(),
  size: z.number().nonnegative().default(0),
  url_private_download: z.string().optional(),
  url_private: z.string().optional(),
});
export type SlackFile = z.infer<typeof fileSchema>;

const eventSchema = z.object({
  type: z.enum(['app_mention', 'message']),
  subtype: z.string().optional(),
  team: z.string().optional(),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().default(''),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  files: z.array(fileSchema).default([]),
});

export interface InboundMessage {
  /** `mention`: the bot was named (an app_mention, or a message with `<@bot>` in it). */
  kind: 'mention' | 'dm' | 'thread_reply';
  team: string | undefined;
  channel: string;
  user: string;
  /** The text with the bot's mention removed. */
  text: string;
  ts: string;
  /** The thread the session lives in: the message's thread, or the message itself when it starts one. */
  threadTs: string;
  /** True when the message was posted inside an existing thread. */
  inThread: boolean;
  files: SlackFile[];
}

/** Subtypes that are still a person talking (file shares are messages with files). */
const HUMAN_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * Normalises an Events API event, or returns a reason to ignore it: other bots, ourselves, edits,
 * deletions, channel joins. Malformed events are ignored with their reason (logged by the caller).
 */
export function parseInbound(
  raw: unknown,
  botUserId: string,
): { ok: true; message: InboundMessage } | { ok: false; reason: string } {
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: `malformed event: ${parsed.error.issues[0]?.message ?? ''}` };
  const e = parsed.data;
  if (e.bot_id || !e.user) return { ok: false, reason: 'from a bot' };
  if (e.user === botUserId) return { ok: false, reason: 'our own message' };
  if (!HUMAN_SUBTYPES.has(e.subtype)) return { ok: false, reason: `subtype ${e.subtype}` };
  const mentioned = e.type === 'app_mention' || mentionPattern(botUserId).test(e.text);
  const isDm = e.channel_type === 'im';
  const kind = isDm ? 'dm' : mentioned ? 'mention' : 'thread_reply';
  return {
    ok: true,
    message: {
      kind,
      team: e.team,
      channel: e.channel,
      user: e.user,
      text: stripMention(e.text, botUserId),
      ts: e.ts,
      threadTs: e.thread_ts ?? e.ts,
      inThread: e.thread_ts !== undefined && e.thread_ts !== e.ts,
      files: e.files,
    },
  };
}

/** Removes `<@BOT>` (and `<@BOT|name>`) mentions and the whitespace they leave. */
export function stripMention(text: string, botUserId: string): string {
  return text.replace(mentionPattern(botUserId, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

function mentionPattern(botUserId: string, flags = ''): RegExp {
  return new RegExp(`<@${botUserId.replace(/\W/g, '')}(\\|[^>]*)?>`, flags);
}
