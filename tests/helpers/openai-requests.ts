import type { FakeOpenAi } from '../fakes/fake-openai.js';

/** A content part of a Chat Completions message, as far as the tests read it. */
export interface ChatWirePart {
  type: string;
  text?: string;
}

/** A message of a Chat Completions request, as far as the tests read it. */
export interface ChatWireMessage {
  role: string;
  content?: string | ChatWirePart[] | null;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/** The body of a Chat Completions request, as far as the tests read it. */
export interface ChatRequestBody {
  model: string;
  messages: ChatWireMessage[];
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  tool_choice?: unknown;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
}

/** The bodies of the `POST /v1/chat/completions` requests the fake received, in order (other routes left out). */
export function chatRequests(fake: FakeOpenAi): ChatRequestBody[] {
  return fake.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions')
    .map((r) => r.body as ChatRequestBody);
}

/** A message's text: the string, or its text parts joined. */
export function textOf(message: ChatWireMessage): string {
  const content = message.content ?? '';
  return typeof content === 'string' ? content : content.map((p) => p.text ?? '').join('');
}

/** The texts of the user messages a request carried, in order. */
export function userTexts(body: ChatRequestBody | undefined): string[] {
  return (body?.messages ?? []).filter((m) => m.role === 'user').map(textOf);
}

/** The `tool` messages a request carried, in order, as `{ id, text }`. */
export function toolResults(body: ChatRequestBody | undefined): Array<{ id: string; text: string }> {
  return (body?.messages ?? [])
    .filter((m) => m.role === 'tool')
    .map((m) => ({ id: m.tool_call_id ?? '', text: textOf(m) }));
}
