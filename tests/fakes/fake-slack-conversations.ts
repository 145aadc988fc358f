import type { ApiResult, MethodContext, MethodSpec } from './fake-slack-method.js';
import { fail, ok, str } from './fake-slack-method.js';
import type { FakeMessage } from './fake-slack-workspace.js';
import { compareTs } from './fake-slack-workspace.js';

/** Pages a list the way Slack does: `limit`, an opaque `cursor`, `has_more`, `next_cursor`. */
function page(ctx: MethodContext, items: FakeMessage[], defaultLimit: number): ApiResult {
  const limit = Math.max(1, Math.min(Number(ctx.args.limit ?? defaultLimit) || defaultLimit, 1000));
  const cursor = str(ctx.args, 'cursor');
  const offset =
    cursor === undefined ? 0 : Number(/^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString())?.[1]);
  if (!Number.isInteger(offset)) return fail('invalid_cursor');
  const slice = items.slice(offset, offset + limit);
  const hasMore = offset + limit < items.length;
  return ok({
    messages: slice.map((m) => ctx.workspace.toSlack(m)),
    has_more: hasMore,
    response_metadata: {
      next_cursor: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '',
    },
  });
}

/** Keeps messages inside `oldest`..`latest` (exclusive unless `inclusive`), as Slack filters them. */
function inRange(ctx: MethodContext, m: FakeMessage): boolean {
  const inclusive =
    ctx.args.inclusive === true || ctx.args.inclusive === 'true' || ctx.args.inclusive === '1';
  const oldest = str(ctx.args, 'oldest');
  const latest = str(ctx.args, 'latest');
  if (oldest !== undefined && (inclusive ? compareTs(m.ts, oldest) < 0 : compareTs(m.ts, oldest) <= 0))
    return false;
  if (latest !== undefined && (inclusive ? compareTs(m.ts, latest) > 0 : compareTs(m.ts, latest) >= 0))
    return false;
  return true;
}

function replies(ctx: MethodContext): ApiResult {
  const channel = str(ctx.args, 'channel');
  const ts = str(ctx.args, 'ts');
  if (channel === undefined) return fail('channel_not_found');
  if (ts === undefined) return fail('invalid_arguments');
  const parent = ctx.workspace.get(channel, ts);
  if (parent === undefined || parent.deleted) return fail('thread_not_found');
  const root = parent.threadTs ?? parent.ts;
  const thread = ctx.workspace.thread(channel, root).filter((m) => m.ts === root || inRange(ctx, m));
  return page(ctx, thread, 1000);
}

function history(ctx: MethodContext): ApiResult {
  const channel = str(ctx.args, 'channel');
  if (channel === undefined) return fail('channel_not_found');
  const top = ctx.workspace.messages
    .filter(
      (m) => m.channel === channel && !m.deleted && (m.threadTs === undefined || m.replyBroadcast === true),
    )
    .filter((m) => inRange(ctx, m))
    .sort((a, b) => compareTs(b.ts, a.ts));
  return page(ctx, top, 100);
}

function usersInfo(ctx: MethodContext): ApiResult {
  const id = str(ctx.args, 'user');
  const user = id === undefined ? undefined : ctx.workspace.user(id);
  if (user === undefined) return fail('user_not_found');
  const realName = user.realName ?? user.name;
  return ok({
    user: {
      id: user.id,
      team_id: ctx.identity.teamId,
      name: user.name,
      deleted: false,
      real_name: realName,
      tz: user.tz ?? 'Europe/Paris',
      is_bot: user.isBot ?? false,
      is_app_user: false,
      profile: { real_name: realName, display_name: user.name, team: ctx.identity.teamId },
    },
  });
}

/** `conversations.replies`, `conversations.history`, `users.info`. */
export const CONVERSATION_METHODS: Record<string, MethodSpec> = {
  'conversations.replies': { token: 'bot', handle: replies },
  'conversations.history': { token: 'bot', handle: history },
  'users.info': { token: 'bot', handle: usersInfo },
};
