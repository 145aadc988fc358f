import { blockProblems, invalidBlocksResult, MAX_MESSAGE_BLOCKS } from './fake-slack-blocks.js';
import { nextTs } from './fake-slack-ids.js';
import type { ApiResult, MethodContext, MethodSpec } from './fake-slack-method.js';
import { bool, fail, list, ok, str } from './fake-slack-method.js';
import type { FakeMessage } from './fake-slack-workspace.js';

/** Slack refuses message text over 40,000 characters. */
export const MAX_TEXT_CHARS = 40_000;

/** Why Slack would refuse this message content, or undefined when it would take it. */
export function contentError(args: Record<string, unknown>, requireContent: boolean): ApiResult | undefined {
  const text = str(args, 'text');
  const markdown = str(args, 'markdown_text');
  const blocks = args.blocks;
  const hasBlocks = Array.isArray(blocks) ? blocks.length > 0 : blocks !== undefined;
  if (markdown !== undefined && (text !== undefined || hasBlocks)) return fail('markdown_text_conflict');
  if (
    requireContent &&
    text === undefined &&
    markdown === undefined &&
    !hasBlocks &&
    list(args, 'attachments') === undefined
  )
    return fail('no_text');
  if ((text ?? markdown ?? '').length > MAX_TEXT_CHARS) return fail('msg_too_long');
  if (blocks !== undefined) {
    const problems = blockProblems(blocks, MAX_MESSAGE_BLOCKS);
    if (problems.length > 0)
      return invalidBlocksResult(
        Array.isArray(blocks) ? 'invalid_blocks' : 'invalid_blocks_format',
        problems,
      );
  }
  return undefined;
}

/** The message a `channel` + `ts` pair names, or the error Slack gives when there is none. */
export function findMessage(
  ctx: MethodContext,
  tsKey = 'ts',
): { message: FakeMessage } | { error: ApiResult } {
  const channel = str(ctx.args, 'channel');
  const ts = str(ctx.args, tsKey);
  if (channel === undefined) return { error: fail('channel_not_found') };
  if (ts === undefined) return { error: fail('invalid_arguments') };
  const message = ctx.workspace.get(channel, ts);
  if (message === undefined || message.deleted) return { error: fail('message_not_found') };
  return { message };
}

function postMessage(ctx: MethodContext): ApiResult {
  const { args, workspace, identity } = ctx;
  const channel = str(args, 'channel');
  if (channel === undefined) return fail('channel_not_found');
  const refused = contentError(args, true);
  if (refused !== undefined) return refused;
  const threadTs = str(args, 'thread_ts');
  const message = workspace.add({
    channel,
    user: identity.botUserId,
    botId: identity.botId,
    appId: identity.appId,
    text: str(args, 'text') ?? str(args, 'markdown_text') ?? '',
    blocks: list(args, 'blocks'),
    attachments: list(args, 'attachments'),
    metadata: args.metadata,
    threadTs,
    replyBroadcast: bool(args, 'reply_broadcast') || undefined,
  });
  return ok({ channel, ts: message.ts, message: workspace.toSlack(message) });
}

function update(ctx: MethodContext): ApiResult {
  const found = findMessage(ctx);
  if ('error' in found) return found.error;
  const { message } = found;
  if (message.botId !== ctx.identity.botId) return fail('cant_update_message');
  const refused = contentError(ctx.args, false);
  if (refused !== undefined) return refused;
  message.history.push({
    text: message.text,
    blocks: message.blocks,
    at: message.editedAt ?? message.postedAt,
  });
  // As in Slack, blocks and attachments left out of the call stay as they were.
  const text = str(ctx.args, 'text') ?? str(ctx.args, 'markdown_text');
  if (text !== undefined || ctx.args.text === '') message.text = text ?? '';
  const blocks = list(ctx.args, 'blocks');
  if (blocks !== undefined) message.blocks = blocks.length > 0 ? blocks : undefined;
  const attachments = list(ctx.args, 'attachments');
  if (attachments !== undefined) message.attachments = attachments;
  if (ctx.args.metadata !== undefined) message.metadata = ctx.args.metadata;
  message.editCount += 1;
  message.editedAt = Date.now();
  message.editedTs = nextTs();
  return ok({
    channel: message.channel,
    ts: message.ts,
    text: message.text,
    message: ctx.workspace.toSlack(message),
  });
}

function deleteMessage(ctx: MethodContext): ApiResult {
  const found = findMessage(ctx);
  if ('error' in found) return found.error;
  if (found.message.botId !== ctx.identity.botId) return fail('cant_delete_message');
  found.message.deleted = true;
  return ok({ channel: found.message.channel, ts: found.message.ts });
}

function postEphemeral(ctx: MethodContext): ApiResult {
  const channel = str(ctx.args, 'channel');
  const user = str(ctx.args, 'user');
  if (channel === undefined) return fail('channel_not_found');
  if (user === undefined) return fail('user_not_in_channel');
  const refused = contentError(ctx.args, true);
  if (refused !== undefined) return refused;
  const messageTs = nextTs();
  ctx.workspace.ephemerals.push({
    channel,
    user,
    text: str(ctx.args, 'text') ?? '',
    blocks: list(ctx.args, 'blocks'),
    threadTs: str(ctx.args, 'thread_ts'),
    messageTs,
    at: Date.now(),
  });
  return ok({ message_ts: messageTs });
}

function getPermalink(ctx: MethodContext): ApiResult {
  const found = findMessage(ctx, 'message_ts');
  if ('error' in found) return found.error;
  const { channel, ts } = found.message;
  const permalink = `https://${ctx.identity.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  return ok({ channel, permalink });
}

function reaction(add: boolean) {
  return (ctx: MethodContext): ApiResult => {
    const name = str(ctx.args, 'name');
    if (name === undefined || name.includes(':') || name.includes(' ')) return fail('invalid_name');
    const found = findMessage(ctx, 'timestamp');
    if ('error' in found) return found.error;
    const { reactions } = found.message;
    const user = ctx.identity.botUserId;
    const existing = reactions.find((r) => r.name === name);
    if (add) {
      if (existing?.users.includes(user)) return fail('already_reacted');
      if (existing !== undefined) existing.users.push(user);
      else reactions.push({ name, users: [user] });
      return ok();
    }
    if (existing === undefined || !existing.users.includes(user)) return fail('no_reaction');
    existing.users = existing.users.filter((u) => u !== user);
    if (existing.users.length === 0) reactions.splice(reactions.indexOf(existing), 1);
    return ok();
  };
}

function setStatus(ctx: MethodContext): ApiResult {
  const channel = str(ctx.args, 'channel_id');
  const threadTs = str(ctx.args, 'thread_ts');
  if (channel === undefined) return fail('channel_not_found');
  if (threadTs === undefined || typeof ctx.args.status !== 'string') return fail('invalid_arguments');
  ctx.workspace.statuses.push({
    channel,
    threadTs,
    status: ctx.args.status,
    loadingMessages: ctx.args.loading_messages,
    at: Date.now(),
  });
  return ok();
}

function acceptThreadCall(ctx: MethodContext): ApiResult {
  if (str(ctx.args, 'channel_id') === undefined) return fail('channel_not_found');
  return str(ctx.args, 'thread_ts') === undefined ? fail('invalid_arguments') : ok();
}

/** `chat.*` (except streaming), `reactions.*` and `assistant.threads.*`. */
export const CHAT_METHODS: Record<string, MethodSpec> = {
  'chat.postMessage': { token: 'bot', handle: postMessage },
  'chat.update': { token: 'bot', handle: update },
  'chat.delete': { token: 'bot', handle: deleteMessage },
  'chat.postEphemeral': { token: 'bot', handle: postEphemeral },
  'chat.getPermalink': { token: 'bot', handle: getPermalink },
  'reactions.add': { token: 'bot', handle: reaction(true) },
  'reactions.remove': { token: 'bot', handle: reaction(false) },
  'assistant.threads.setStatus': { token: 'bot', handle: setStatus },
  'assistant.threads.setTitle': { token: 'bot', handle: acceptThreadCall },
  'assistant.threads.setSuggestedPrompts': { token: 'bot', handle: acceptThreadCall },
};
