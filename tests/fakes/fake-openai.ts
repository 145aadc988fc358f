import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from './fake-anthropic.js';
import {
  OPENAI_ERRORS,
  scriptedError,
  toolsRejection,
  unauthorizedBody,
  unknownModel,
} from './fake-openai-errors.js';
import type { Flavor } from './fake-openai-errors.js';
import { completionJson, newId, streamCompletion } from './fake-openai-wire.js';
import type { FakeReply } from './fake-openai-wire.js';

/**
 * A loopback OpenAI-compatible Chat Completions server: `POST /v1/chat/completions` (SSE chunks or
 * one JSON completion), `GET /v1/models` and `GET /v1/models/{id}`. It stands in for a local server
 * (Ollama, vLLM, llama.cpp) at OPENAI_BASE_URL and for the Hugging Face router at HF_ROUTER_URL;
 * `flavor` picks whose error bodies it speaks. Replies are scripted per request with `enqueue`;
 * point the SDK at it with `new OpenAI({ baseURL: fake.url })`.
 */

export type { RecordedRequest } from './fake-anthropic.js';
export type { FakeReply, FakeToolCall, FakeUsage } from './fake-openai-wire.js';
export type { Flavor } from './fake-openai-errors.js';

/** One provider of a router model, as `GET https://router.huggingface.co/v1/models` lists it. */
export interface FakeModelProvider {
  provider: string;
  /** Default `live`. */
  status?: 'live' | 'error';
  context_length?: number;
  /** USD per million tokens. */
  pricing?: { input: number; output: number };
  supports_tools?: boolean;
  supports_structured_output?: boolean;
  first_token_latency_ms?: number;
  throughput?: number;
  is_model_author?: boolean;
}

export interface FakeModel {
  id: string;
  /** Default: the org part of the id, else the flavor's (`vllm`, `library`, `system`). */
  owned_by?: string;
  created?: number;
  /** Given: the router's shape (with `architecture` and `providers`). */
  providers?: FakeModelProvider[];
  /** The router's `architecture.input_modalities` (default `["text"]`). */
  input_modalities?: string[];
  /** vLLM lists the served context window as `max_model_len`. */
  max_model_len?: number;
}

export interface FakeOpenAiOptions {
  /** When set, a request without `Authorization: Bearer <apiKey>` gets the flavor's 401. */
  apiKey?: string;
  /** What `GET /v1/models` lists (default: one model, `fake-model`). */
  models?: FakeModel[];
  /** A request carrying `tools` gets that server's real rejection (the queue is not consumed). */
  toolsUnsupported?: 'ollama' | 'vllm' | 'router';
  /** Whose 401 and unknown-model bodies to send (default `router` when a model has providers, else `openai`). */
  flavor?: Flavor;
  /** Reject chat requests for models not in `models`, with the flavor's error (default false). */
  strictModels?: boolean;
}

export interface FakeOpenAi {
  /** Base URL with `/v1`, as the SDK's `baseURL` wants it. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues replies, used in order, one per chat request. */
  enqueue(...replies: FakeReply[]): void;
  /** The reply for a chat request that finds the queue empty (default: the text `ok`). */
  setDefault(reply: (body: unknown) => FakeReply): void;
  /** Replies still queued. */
  pending(): number;
  close(): Promise<void>;
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

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': newId('req_'), ...headers });
  res.end(JSON.stringify(body));
}

/** The bearer token a request carries (the SDK always sends `Authorization: Bearer <apiKey>`). */
export function bearerOf(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
}

const OWNERS: Record<Flavor, string> = { openai: 'system', router: 'fake', vllm: 'vllm', ollama: 'library' };

/** A model as the list shows it: the router's shape when it has providers, else the plain one. */
function modelJson(model: FakeModel, flavor: Flavor): unknown {
  const plain = {
    id: model.id,
    object: 'model',
    created: model.created ?? 1_700_000_000,
    owned_by: model.owned_by ?? (model.id.includes('/') ? model.id.split('/')[0] : OWNERS[flavor]),
    ...(model.max_model_len !== undefined ? { max_model_len: model.max_model_len } : {}),
  };
  if (model.providers === undefined) return plain;
  return {
    ...plain,
    architecture: { input_modalities: model.input_modalities ?? ['text'], output_modalities: ['text'] },
    providers: model.providers.map((p) => ({ ...p, status: p.status ?? 'live' })),
  };
}

interface ChatBody {
  model?: unknown;
  messages?: unknown;
  tools?: unknown;
  tool_choice?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: (body: unknown) => FakeReply = () => ({ text: 'ok' });
  const models = options.models ?? [{ id: 'fake-model' }];
  const flavor: Flavor =
    options.flavor ?? (models.some((m) => m.providers !== undefined) ? 'router' : 'openai');

  /** Sends the 401 and returns false when the key is wrong. */
  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (options.apiKey === undefined) return true;
    const sent = bearerOf(req.headers);
    if (sent === options.apiKey) return true;
    sendJson(res, 401, unauthorizedBody(flavor, sent));
    return false;
  };
  /** The router serves its model list to anyone (its docs curl it without a token). */
  const listIsPublic = flavor === 'router';

  const findModel = (id: string): FakeModel | undefined => {
    // The router takes `org/model:provider` (or `:fastest`, `:cheapest`) and lists the bare id.
    const bare = flavor === 'router' ? id.split(':')[0] : id;
    return models.find((m) => m.id === bare);
  };

  const chat = async (res: ServerResponse, body: ChatBody, record: RecordedRequest): Promise<void> => {
    const model = typeof body.model === 'string' ? body.model : 'fake-model';
    if (options.strictModels && findModel(model) === undefined) {
      const { status, body: error } = unknownModel(flavor, model);
      sendJson(res, status, error);
      return;
    }
    if (options.toolsUnsupported && Array.isArray(body.tools) && body.tools.length > 0) {
      const rejection = toolsRejection(options.toolsUnsupported, body);
      if (rejection !== undefined) {
        sendJson(res, 400, rejection);
        return;
      }
    }
    const reply = queue.shift() ?? fallback(body);
    if (reply.status !== undefined && reply.status >= 400) {
      const error = reply.errorBody ?? scriptedError(reply.status, reply.errorMessage, reply.errorCode);
      sendJson(res, reply.status, error, reply.headers);
      return;
    }
    const ctx = {
      model,
      messageCount: Array.isArray(body.messages) ? body.messages.length : 0,
      includeUsage: body.stream_options?.include_usage === true,
    };
    if (body.stream === true) {
      await streamCompletion(res, reply, ctx, record);
      return;
    }
    if (reply.hangAfterChunks !== undefined) {
      res.on('close', () => {
        record.closedEarly = true;
      });
      return; // never answers
    }
    if (reply.dropAfterChunks !== undefined) {
      res.destroy();
      return;
    }
    sendJson(res, 200, completionJson(reply, ctx), reply.headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = parseJson(await readBody(req));
    const method = req.method ?? '';
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const record: RecordedRequest = { method, path, headers: req.headers, body, receivedAt: Date.now() };
    requests.push(record);

    if (method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
      if (!listIsPublic && !authorized(req, res)) return;
      if (path === '/v1/models') {
        sendJson(res, 200, { object: 'list', data: models.map((m) => modelJson(m, flavor)) });
        return;
      }
      // The SDK encodes the slash of `org/model`; curl sends it raw. Both name the same model.
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      const found = findModel(id);
      if (found) sendJson(res, 200, modelJson(found, flavor));
      else sendJson(res, 404, OPENAI_ERRORS.modelNotFound(id));
      return;
    }
    if (method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(res, 404, OPENAI_ERRORS.invalidUrl(method, path));
      return;
    }
    if (!authorized(req, res)) return;
    if (typeof body !== 'object' || body === null) {
      sendJson(res, 400, OPENAI_ERRORS.invalidJson());
      return;
    }
    await chat(res, body, record);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, scriptedError(500, `fake-openai crashed: ${String(err)}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
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
        // Hung requests would keep close() waiting forever.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
