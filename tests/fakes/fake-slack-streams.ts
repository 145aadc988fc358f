import { blockProblems, invalidBlocksResult, MAX_MESSAGE_BLOCKS } from './fake-slack-blocks.js';
import { findMessage } from './fake-slack-chat.js';
import type { ApiResult, MethodContext, MethodSpec } from './fake-slack-method.js';
import { fail, list, ok, str } from './fake-slack-method.js';
import type { FakeChunk, FakeMessage, FakeStream } from './fake-slack-workspace.js';

/** Slack's limit on one `markdown_text` argument of the streaming methods. */
export const MAX_STREAM_MARKDOWN_CHARS = 12_000;

/** How long Slack keeps a stream open after `chat.startStream` (about five minutes). */
export const DEFAULT_STREAM_TTL_MS = 5 * 60_000;

function isChunk(value: unknown): value is FakeChunk {
  return value !== null && typeof value === 'object' && typeof (value as FakeChunk).type === 'string';
}

/**
 * The chunks of a streaming call: `markdown_text` first (as its own chunk), then `chunks`. Slack
 * takes either; the WebClient's ChatStreamer sends its buffer as `chunks`.
 */
function chunksOf(args: Record<string, unknown>): FakeChunk[] | ApiResult {
  const out: FakeChunk[] = [];
  const markdown = str(args, 'markdown_text');
  if (markdown !== undefined) out.push({ type: 'markdown_text', text: markdown });
  const chunks = args.chunks;
  if (chunks !== undefined) {
    if (!Array.isArray(chunks) || !chunks.every(isChunk)) return fail('invalid_chunks');
    out.push(...chunks);
  }
  for (const chunk of out) {
    if (chunk.type === 'markdown_text' && typeof chunk.text !== 'string') return fail('invalid_chunks');
    if (chunk.type === 'markdown_text' && (chunk.text as string).length > MAX_STREAM_MARKDOWN_CHARS)
      return fail('msg_too_long');
  }
  return out;
}

function apply(message: FakeMessage, stream: FakeStream, chunks: FakeChunk[]): void {
  for (const chunk of chunks) {
    stream.chunks.push(chunk);
    if (chunk.type === 'markdown_text') message.text += chunk.text as string;
    if (chunk.type === 'blocks' && Array.isArray(chunk.blocks))
      message.blocks = [...(message.blocks ?? []), ...(chunk.blocks as unknown[])];
  }
}

/** The open stream of a message, or the error Slack gives (expiring it first when its time is up). */
function openStream(ctx: MethodContext): { message: FakeMessage; stream: FakeStream } | { error: ApiResult } {
  const found = findMessage(ctx);
  if ('error' in found) return found;
  const { message } = found;
  const stream = message.stream;
  if (stream === undefined) return { error: fail('message_not_in_streaming_state') };
  if (stream.state === 'in_progress' && Date.now() - stream.startedAt > ctx.streamTtlMs)
    stream.state = 'expired';
  if (stream.state !== 'in_progress') return { error: fail('message_not_in_streaming_state') };
  return { message, stream };
}

function startStream(ctx: MethodContext): ApiResult {
  const { args, identity, workspace } = ctx;
  const channel = str(args, 'channel');
  if (channel === undefined) return fail('channel_not_found');
  // Outside a DM, Slack needs to know whom the stream is for.
  if (!channel.startsWith('D')) {
    if (str(args, 'recipient_team_id') === undefined) return fail('missing_recipient_team_id');
    if (str(args, 'recipient_user_id') === undefined) return fail('missing_recipient_user_id');
  }
  const chunks = chunksOf(args);
  if (!Array.isArray(chunks)) return chunks;
  const stream: FakeStream = {
    state: 'in_progress',
    startedAt: Date.now(),
    appends: 0,
    chunks: [],
    recipientUserId: str(args, 'recipient_user_id'),
    recipientTeamId: str(args, 'recipient_team_id'),
  };
  const message = workspace.add({
    channel,
    user: identity.botUserId,
    botId: identity.botId,
    appId: identity.appId,
    text: '',
    threadTs: str(args, 'thread_ts'),
    stream,
  });
  apply(message, stream, chunks);
  return ok({ channel, ts: message.ts });
}

function appendStream(ctx: MethodContext): ApiResult {
  const open = openStream(ctx);
  if ('error' in open) return open.error;
  const chunks = chunksOf(ctx.args);
  if (!Array.isArray(chunks)) return chunks;
  if (chunks.length === 0) return fail('invalid_arguments');
  apply(open.message, open.stream, chunks);
  open.stream.appends += 1;
  return ok({ channel: open.message.channel, ts: open.message.ts });
}

function stopStream(ctx: MethodContext): ApiResult {
  const open = openStream(ctx);
  if ('error' in open) return open.error;
  const chunks = chunksOf(ctx.args);
  if (!Array.isArray(chunks)) return chunks;
  const blocks = list(ctx.args, 'blocks');
  if (blocks !== undefined) {
    const problems = blockProblems(blocks, MAX_MESSAGE_BLOCKS);
    if (problems.length > 0) return invalidBlocksResult('invalid_blocks', problems);
  }
  const { message, stream } = open;
  apply(message, stream, chunks);
  if (blocks !== undefined) message.blocks = [...(message.blocks ?? []), ...blocks];
  if (ctx.args.metadata !== undefined) message.metadata = ctx.args.metadata;
  stream.state = 'completed';
  return ok({ channel: message.channel, ts: message.ts, message: ctx.workspace.toSlack(message) });
}

/** `chat.startStream`, `chat.appendStream`, `chat.stopStream`. */
export const STREAM_METHODS: Record<string, MethodSpec> = {
  'chat.startStream': { token: 'bot', handle: startStream },
  'chat.appendStream': { token: 'bot', handle: appendStream },
  'chat.stopStream': { token: 'bot', handle: stopStream },
};
