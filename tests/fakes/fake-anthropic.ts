import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback Anthropic Messages API: `POST /v1/messages`, streamed as the real API streams (SSE
 * frames with an `event:` and a `data:` line: message_start, ping, content_block_start /
 * _delta / _stop, message_delta, message_stop) or as one JSON message when `stream` is false.
 * Replies are scripted per request with `enqueue`; point the SDK at it with `baseURL: fake.url`.
 */

/** A tool call the fake model makes: `input` is sent as JSON, `rawJson` as is (malformed on purpose). */
export interface FakeToolCall {
  id?: string;
  name: string;
  input?: Record<string, unknown>;
  rawJson?: string;
}

export interface FakeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** The script of one response. */
export interface FakeReply {
  text?: string;
  toolCalls?: FakeToolCall[];
  usage?: FakeUsage;
  /** Default: `tool_use` when there are tool calls, else `end_turn`. */
  stopReason?: string;
  /** Pause before each frame after message_start, ms. */
  chunkDelayMs?: number;
  /** Pause before answering at all (a model's time to first token), ms. */
  delayMs?: number;
  /** Characters per text delta (default 4) and per input_json_delta (default 7). */
  textChunkChars?: number;
  jsonChunkChars?: number;
  /** >= 400: answer with this status and an Anthropic-shaped JSON error instead of a message. */
  status?: number;
  /** Extra response headers (`retry-after`, `retry-after-ms`, `x-should-retry`, ...). */
  headers?: Record<string, string>;
  /** Replaces the whole JSON body of an error response. */
  errorBody?: unknown;
  /** The `error.type` and `error.message` of the default error body. */
  errorType?: string;
  errorMessage?: string;
  /** Stop writing after this many content_block_delta frames and leave the connection open. */
  hangAfterChunks?: number;
  /**
   * Cut the connection after this many content_block_delta frames (the frames before it sent
   * whole): a stream that breaks mid-body, as a reset proxy or a dropped link breaks it.
   */
  dropAfterChunks?: number;
  /** Send an SSE `error` event after this many content_block_delta frames, then end the stream. */
  streamErrorAfterChunks?: number;
  /** The `error.type` of that event (default `overloaded_error`). */
  streamErrorType?: string;
}

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (`undefined` when it was not JSON). */
  body: unknown;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** Set when the client closed a streamed response before its end (an aborted stream). */
  closedEarly?: boolean;
}

export interface FakeAnthropic {
  /** Base URL without `/v1`, as `ANTHROPIC_BASE_URL` expects. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues replies, used in order, one per request. */
  enqueue(...replies: FakeReply[]): void;
  /** The reply for a request that finds the queue empty (default: the text `ok`). */
  setDefault(reply: (body: unknown) => FakeReply): void;
  /** Replies still queued. */
  pending(): number;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

let nextId = 1;
function newId(prefix: string): string {
  return `${prefix}_fake${String(nextId++).padStart(6, '0')}`;
}

function chunks(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function modelOf(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string') {
    return body.model;
  }
  return 'claude-fake';
}

function wantsStream(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'stream' in body && body.stream === true;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req'), ...headers });
  res.end(JSON.stringify(body));
}

function errorBody(status: number, type: string | undefined, message: string | undefined): unknown {
  return {
    type: 'error',
    error: { type: type ?? ERROR_TYPES[status] ?? 'api_error', message: message ?? `fake error ${status}` },
    request_id: newId('req'),
  };
}

function usageOf(reply: FakeReply, outputTokens: number): Required<FakeUsage> {
  return {
    input_tokens: reply.usage?.input_tokens ?? 12,
    output_tokens: reply.usage?.output_tokens ?? outputTokens,
    cache_read_input_tokens: reply.usage?.cache_read_input_tokens ?? 0,
    cache_creation_input_tokens: reply.usage?.cache_creation_input_tokens ?? 0,
  };
}

function toolJson(call: FakeToolCall): string {
  return call.rawJson ?? JSON.stringify(call.input ?? {});
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The whole message, for `stream: false` requests. */
function messageJson(reply: FakeReply, model: string): unknown {
  const content: unknown[] = [];
  if (reply.text !== undefined && reply.text.length > 0)
    content.push({ type: 'text', text: reply.text, citations: null });
  for (const call of reply.toolCalls ?? []) {
    content.push({
      type: 'tool_use',
      id: call.id ?? newId('toolu'),
      name: call.name,
      input: parseJson(toolJson(call)) ?? {},
    });
  }
  const usage = usageOf(reply, Math.max(1, Math.ceil((reply.text?.length ?? 0) / 4)));
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: reply.stopReason ?? ((reply.toolCalls?.length ?? 0) > 0 ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage,
  };
}

async function streamReply(
  res: ServerResponse,
  reply: FakeReply,
  model: string,
  record?: RecordedRequest,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': newId('req'),
    ...reply.headers,
  });
  const delay = reply.chunkDelayMs ?? 0;
  const usage = usageOf(reply, Math.max(1, Math.ceil((reply.text?.length ?? 0) / 4)));
  let deltas = 0;
  let stopped = false;
  res.on('close', () => {
    stopped = true;
    if (record && !res.writableEnded) record.closedEarly = true;
  });

  const frame = async (event: string, data: unknown, pause = true): Promise<void> => {
    if (stopped) return;
    if (pause && delay > 0) await sleep(delay);
    if (stopped) return;
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  /** Writes one delta frame; false once the script says to stop (hang or error). */
  const delta = async (index: number, body: unknown): Promise<boolean> => {
    if (reply.hangAfterChunks !== undefined && deltas >= reply.hangAfterChunks) return false;
    if (reply.streamErrorAfterChunks !== undefined && deltas >= reply.streamErrorAfterChunks) return false;
    if (reply.dropAfterChunks !== undefined && deltas >= reply.dropAfterChunks) {
      stopped = true;
      res.socket?.destroySoon(); // closed once what was written is sent: no end of the chunked body
      return false;
    }
    await frame('content_block_delta', { type: 'content_block_delta', index, delta: body });
    deltas++;
    return true;
  };

  await frame(
    'message_start',
    {
      type: 'message_start',
      message: {
        id: newId('msg'),
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    },
    false,
  );
  await frame('ping', { type: 'ping' });

  let index = 0;
  let ok = true;
  if (reply.text !== undefined && reply.text.length > 0) {
    await frame('content_block_start', {
      type: 'content_block_start',
      index,
      content_block: { type: 'text', text: '' },
    });
    for (const piece of chunks(reply.text, reply.textChunkChars ?? 4)) {
      ok = await delta(index, { type: 'text_delta', text: piece });
      if (!ok) break;
    }
    if (ok) await frame('content_block_stop', { type: 'content_block_stop', index });
    index++;
  }
  for (const call of reply.toolCalls ?? []) {
    if (!ok) break;
    await frame('content_block_start', {
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id: call.id ?? newId('toolu'), name: call.name, input: {} },
    });
    for (const piece of chunks(toolJson(call), reply.jsonChunkChars ?? 7)) {
      ok = await delta(index, { type: 'input_json_delta', partial_json: piece });
      if (!ok) break;
    }
    if (ok) await frame('content_block_stop', { type: 'content_block_stop', index });
    index++;
  }

  if (!ok && (reply.hangAfterChunks !== undefined || reply.dropAfterChunks !== undefined)) return; // silent, or cut
  if (!ok) {
    const type = reply.streamErrorType ?? 'overloaded_error';
    await frame('error', { type: 'error', error: { type, message: `fake stream error (${type})` } });
    res.end();
    return;
  }
  await frame('message_delta', {
    type: 'message_delta',
    delta: {
      stop_reason: reply.stopReason ?? ((reply.toolCalls?.length ?? 0) > 0 ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
    },
    usage: { output_tokens: usage.output_tokens },
  });
  await frame('message_stop', { type: 'message_stop' });
  res.end();
}

/**
 * The API key a request carries. SDK 1.x sends it as `Authorization: Bearer <key>`; older
 * clients and curl send `x-api-key`. The API takes both.
 */
export function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const match = /^Bearer (.+)$/.exec(headers.authorization ?? '');
  return match?.[1];
}

/** The models `GET /v1/models` lists (one page, as the real API pages them). */
export const FAKE_MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5'] as const;

/** `GET /v1/models`: the key is checked as on `/v1/messages` (what `doctor` relies on). */
function listModels(req: IncomingMessage, res: ServerResponse, expectedKey: string | undefined): void {
  const key = apiKeyOf(req.headers);
  if (key === undefined || (expectedKey !== undefined && key !== expectedKey)) {
    sendJson(res, 401, errorBody(401, 'authentication_error', 'invalid x-api-key'));
    return;
  }
  const data = FAKE_MODELS.map((id) => ({
    type: 'model',
    id,
    display_name: id,
    created_at: '2025-01-01T00:00:00Z',
  }));
  sendJson(res, 200, {
    data,
    has_more: false,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  });
}

export interface FakeAnthropicOptions {
  /** When set, any other key gets a 401 (as the real API does); otherwise any key is accepted. */
  apiKey?: string;
}

/** Starts the fake on 127.0.0.1 and a free port. Requests without an API key get a 401. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: (body: unknown) => FakeReply = () => ({ text: 'ok' });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const body = parseJson(raw);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const record: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
    };
    requests.push(record);

    if (req.method === 'GET' && path === '/v1/models') {
      listModels(req, res, options.apiKey);
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/messages') {
      sendJson(res, 404, errorBody(404, 'not_found_error', `fake-anthropic: no route ${req.method} ${path}`));
      return;
    }
    const key = apiKeyOf(req.headers);
    if (key === undefined || (options.apiKey !== undefined && key !== options.apiKey)) {
      sendJson(res, 401, errorBody(401, 'authentication_error', 'invalid x-api-key'));
      return;
    }
    if (req.headers['anthropic-version'] === undefined) {
      sendJson(res, 400, errorBody(400, 'invalid_request_error', 'anthropic-version: header is required'));
      return;
    }
    if (body === undefined) {
      sendJson(res, 400, errorBody(400, 'invalid_request_error', 'The request body is not valid JSON.'));
      return;
    }
    const reply = queue.shift() ?? fallback(body);
    if (reply.delayMs !== undefined && reply.delayMs > 0) await sleep(reply.delayMs);
    if (reply.status !== undefined && reply.status >= 400) {
      sendJson(
        res,
        reply.status,
        reply.errorBody ?? errorBody(reply.status, reply.errorType, reply.errorMessage),
        reply.headers,
      );
      return;
    }
    if (wantsStream(body)) await streamReply(res, reply, modelOf(body), record);
    else sendJson(res, 200, messageJson(reply, modelOf(body)), reply.headers);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, errorBody(500, 'api_error', `fake-anthropic crashed: ${String(err)}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setDefault: (reply) => {
      fallback = reply;
    },
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hung streams would keep close() waiting forever.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
