import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from './fake-anthropic.js';

/**
 * The Chat Completions wire shapes (`openai` SDK types `ChatCompletion`, `ChatCompletionChunk`):
 * one `chat.completion` JSON, or SSE `data: <chunk>` frames ending in `data: [DONE]`.
 */

/** A tool call the fake model makes: `input` is sent as JSON, `rawJson` as is (malformed on purpose). */
export interface FakeToolCall {
  id?: string;
  name: string;
  input?: Record<string, unknown>;
  rawJson?: string;
}

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

/** The script of one response. */
export interface FakeReply {
  text?: string;
  toolCalls?: FakeToolCall[];
  usage?: FakeUsage;
  /** Default: `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
  /** Pause before each frame after the first, ms. */
  chunkDelayMs?: number;
  /** Characters per content delta (default 4) and per arguments delta (default 7). */
  textChunkChars?: number;
  jsonChunkChars?: number;
  /** >= 400: answer with this status and an error JSON instead of a completion. */
  status?: number;
  /** Extra response headers (`retry-after`, `retry-after-ms`, `x-should-retry`, ...). */
  headers?: Record<string, string>;
  /** Replaces the whole JSON body of an error response (see fake-openai-errors.ts for real ones). */
  errorBody?: unknown;
  /** The `error.message` and `error.code` of the default OpenAI-shaped error body. */
  errorMessage?: string;
  errorCode?: string;
  /**
   * Content chunks (text pieces, a tool call's opening delta, argument pieces) after which the fake
   * stops writing and leaves the connection open. Without streaming: no response at all.
   */
  hangAfterChunks?: number;
  /** Content chunks after which the socket is destroyed mid-stream. Without streaming: before any byte. */
  dropAfterChunks?: number;
  /** What the response's `model` field says (default: the request's model). */
  model?: string;
}

let nextId = 1;
export function newId(prefix: string): string {
  return `${prefix}fake${String(nextId++).padStart(6, '0')}`;
}

function chunks(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function argumentsOf(call: FakeToolCall): string {
  return call.rawJson ?? JSON.stringify(call.input ?? {});
}

/** Where the reply goes: the request's model and message count, and the ids the calls get. */
export interface ReplyContext {
  model: string;
  messageCount: number;
  includeUsage: boolean;
}

function finishReasonOf(reply: FakeReply): string {
  return reply.finishReason ?? ((reply.toolCalls?.length ?? 0) > 0 ? 'tool_calls' : 'stop');
}

/** Scripted usage, else plausible counts: 10 per message in, a token per 4 characters out. */
function usageOf(reply: FakeReply, ctx: ReplyContext): Record<string, unknown> {
  const out = (reply.text ?? '') + (reply.toolCalls ?? []).map((c) => c.name + argumentsOf(c)).join('');
  const prompt = reply.usage?.prompt_tokens ?? 10 * Math.max(1, ctx.messageCount);
  const completion = reply.usage?.completion_tokens ?? Math.max(1, Math.ceil(out.length / 4));
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(reply.usage?.prompt_tokens_details
      ? { prompt_tokens_details: reply.usage.prompt_tokens_details }
      : {}),
  };
}

function callIds(reply: FakeReply): string[] {
  return (reply.toolCalls ?? []).map((c) => c.id ?? newId('call_'));
}

/** The whole completion, for `stream: false` requests. */
export function completionJson(reply: FakeReply, ctx: ReplyContext): unknown {
  const ids = callIds(reply);
  const toolCalls = (reply.toolCalls ?? []).map((call, i) => ({
    id: ids[i],
    type: 'function',
    function: { name: call.name, arguments: argumentsOf(call) },
  }));
  return {
    id: newId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: reply.model ?? ctx.model,
    system_fingerprint: 'fp_fake',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text !== undefined && reply.text.length > 0 ? reply.text : null,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReasonOf(reply),
      },
    ],
    usage: usageOf(reply, ctx),
  };
}

/**
 * Streams the reply: a first chunk with the role and empty content, content deltas, each tool call
 * opened by a delta with `index`, `id`, `type` and `function: {name, arguments: ""}` and continued by
 * deltas with only `index` and `function.arguments`, a last chunk with `finish_reason`, then (only
 * with `stream_options.include_usage`) a chunk with `choices: []` and `usage`, then `[DONE]`.
 */
export async function streamCompletion(
  res: ServerResponse,
  reply: FakeReply,
  ctx: ReplyContext,
  record?: RecordedRequest,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': newId('req_'),
    ...reply.headers,
  });
  let stopped = false;
  res.on('close', () => {
    stopped = true;
    if (record && !res.writableEnded) record.closedEarly = true;
  });
  const id = newId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const model = reply.model ?? ctx.model;
  const delay = reply.chunkDelayMs ?? 0;
  let first = true;

  const write = async (data: string): Promise<void> => {
    if (!first && delay > 0) await sleep(delay);
    first = false;
    if (stopped) return;
    // Wait for the bytes to reach the socket, so a later drop cuts the stream after them, not before.
    await new Promise<void>((resolve) => res.write(`data: ${data}\n\n`, () => resolve()));
  };
  // With include_usage every chunk carries `usage: null` except the last, as OpenAI sends it.
  const chunk = (choices: unknown[], usage: unknown = null): string =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_fake',
      choices,
      ...(ctx.includeUsage ? { usage } : {}),
    });
  const choice = (delta: unknown, finish: string | null = null): unknown[] => [
    { index: 0, delta, logprobs: null, finish_reason: finish },
  ];

  let sent = 0;
  /** One content chunk; false once the script says to hang or drop. */
  const content = async (delta: unknown): Promise<boolean> => {
    if (reply.hangAfterChunks !== undefined && sent >= reply.hangAfterChunks) return false;
    if (reply.dropAfterChunks !== undefined && sent >= reply.dropAfterChunks) {
      res.destroy();
      return false;
    }
    await write(chunk(choice(delta)));
    sent++;
    return !stopped;
  };

  await write(chunk(choice({ role: 'assistant', content: '' })));
  for (const piece of chunks(reply.text ?? '', reply.textChunkChars ?? 4)) {
    if (!(await content({ content: piece }))) return;
  }
  const ids = callIds(reply);
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    const opening = { index, id: ids[index], type: 'function', function: { name: call.name, arguments: '' } };
    if (!(await content({ tool_calls: [opening] }))) return;
    for (const piece of chunks(argumentsOf(call), reply.jsonChunkChars ?? 7)) {
      if (!(await content({ tool_calls: [{ index, function: { arguments: piece } }] }))) return;
    }
  }
  await write(chunk(choice({}, finishReasonOf(reply))));
  if (ctx.includeUsage) await write(chunk([], usageOf(reply, ctx)));
  await write('[DONE]');
  res.end();
}
