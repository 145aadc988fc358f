import type {
  CacheControlEphemeral,
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ToolDefinition } from '../core/llm-provider.js';
import type { AssistantMessage, ChatMessage, ToolMessage } from '../core/messages.js';

/**
 * Our provider-neutral history → the Messages API wire shape. Pure functions, no I/O.
 *
 * The API's rules that shape this code: roles alternate (so consecutive user-side messages merge);
 * every `tool_use` is answered by a `tool_result` in the very next (user) message, and those
 * results come before any text in it; text blocks must not be empty or whitespace.
 */

/** The most `cache_control` breakpoints one request may carry. */
export const MAX_CACHE_BREAKPOINTS = 4;

/** A fresh marker each time, so that no two blocks share (and could mutate) one object. */
function ephemeral(): CacheControlEphemeral {
  return { type: 'ephemeral' };
}

/** Result text recorded for a `tool_use` whose result is missing from the history. */
export const MISSING_TOOL_RESULT = 'No result was recorded for this tool call.';

/** The system prompt, tools and messages of one request, with cache breakpoints set. */
export interface AnthropicPrompt {
  /** Empty when there is no system prompt (the API rejects an empty text block). */
  system: TextBlockParam[];
  tools: Tool[];
  messages: MessageParam[];
}

interface PendingResult {
  block: ToolResultBlockParam;
  name: string;
}

/** One API message being assembled; user turns keep results apart so they can lead. */
type Turn =
  | { role: 'assistant'; blocks: ContentBlockParam[] }
  | { role: 'user'; results: PendingResult[]; texts: TextBlockParam[] };

function hasText(text: string): boolean {
  return text.trim().length > 0;
}

function assistantBlocks(message: AssistantMessage): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  if (hasText(message.content)) blocks.push({ type: 'text', text: message.content });
  for (const call of message.toolCalls ?? []) {
    const block: ToolUseBlockParam = { type: 'tool_use', id: call.id, name: call.name, input: call.input };
    blocks.push(block);
  }
  return blocks;
}

function toolResultBlock(message: ToolMessage): ToolResultBlockParam {
  const block: ToolResultBlockParam = { type: 'tool_result', tool_use_id: message.toolCallId };
  // `content` is optional on the wire, and an empty string is best left out.
  if (message.content.length > 0) block.content = message.content;
  if (message.isError === true) block.is_error = true;
  return block;
}

function userTurn(turns: Turn[]): Extract<Turn, { role: 'user' }> {
  const last = turns.at(-1);
  if (last?.role === 'user') return last;
  const turn: Turn = { role: 'user', results: [], texts: [] };
  turns.push(turn);
  return turn;
}

function assistantTurn(turns: Turn[]): Extract<Turn, { role: 'assistant' }> {
  const last = turns.at(-1);
  if (last?.role === 'assistant') return last;
  const turn: Turn = { role: 'assistant', blocks: [] };
  turns.push(turn);
  return turn;
}

function toolUseIdsOf(turn: Turn | undefined): Set<string> {
  const ids = new Set<string>();
  if (turn?.role !== 'assistant') return ids;
  for (const block of turn.blocks) if (block.type === 'tool_use') ids.add(block.id);
  return ids;
}

/**
 * Keeps the history acceptable to the API even when it is not perfectly paired (a crash between a
 * call and its result, an undo or a compaction that cut between them): a call without a result
 * gets an error result, and a result without its call becomes plain text. Without this, one bad
 * pair would fail every later request of the session with a 400.
 */
function repairToolPairing(turns: Turn[]): void {
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (turn?.role === 'assistant') {
      const ids = toolUseIdsOf(turn);
      if (ids.size === 0) continue;
      let next = turns[i + 1];
      if (next?.role !== 'user') {
        next = { role: 'user', results: [], texts: [] };
        turns.splice(i + 1, 0, next);
      }
      const answered = new Set(next.results.map((r) => r.block.tool_use_id));
      for (const id of ids) {
        if (!answered.has(id)) {
          next.results.push({
            block: { type: 'tool_result', tool_use_id: id, content: MISSING_TOOL_RESULT, is_error: true },
            name: '',
          });
        }
      }
    } else if (turn?.role === 'user' && turn.results.length > 0) {
      const ids = toolUseIdsOf(turns[i - 1]);
      const orphans = turn.results.filter((r) => !ids.has(r.block.tool_use_id));
      if (orphans.length === 0) continue;
      turn.results = turn.results.filter((r) => ids.has(r.block.tool_use_id));
      const orphanTexts: TextBlockParam[] = orphans.map((r) => ({
        type: 'text',
        text: `Result of the earlier ${r.name || 'tool'} call ${r.block.tool_use_id}:\n${typeof r.block.content === 'string' && r.block.content.length > 0 ? r.block.content : '(empty)'}`,
      }));
      turn.texts = [...orphanTexts, ...turn.texts];
    }
  }
}

function toMessageParam(turn: Turn): MessageParam {
  if (turn.role === 'assistant') return { role: 'assistant', content: turn.blocks };
  return { role: 'user', content: [...turn.results.map((r) => r.block), ...turn.texts] };
}

/**
 * Converts the history into API messages: consecutive user-side messages (user text and tool
 * results) merge into one user message with the `tool_result` blocks first; an assistant message
 * becomes its text (when not blank) followed by one `tool_use` block per call. No cache control.
 */
export function toAnthropicMessages(history: readonly ChatMessage[]): MessageParam[] {
  const turns: Turn[] = [];
  for (const message of history) {
    switch (message.role) {
      case 'user':
        if (hasText(message.content)) userTurn(turns).texts.push({ type: 'text', text: message.content });
        break;
      case 'tool':
        userTurn(turns).results.push({ block: toolResultBlock(message), name: message.name });
        break;
      case 'assistant': {
        const blocks = assistantBlocks(message);
        // An assistant message with nothing in it (an empty reply) has no wire form.
        if (blocks.length > 0) assistantTurn(turns).blocks.push(...blocks);
        break;
      }
    }
  }
  repairToolPairing(turns);
  return turns.map(toMessageParam).filter((m) => m.content.length > 0);
}

/** Converts tool definitions to the API's custom tools. No cache control. */
export function toAnthropicTools(tools: readonly ToolDefinition[]): Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: { ...tool.inputSchema, type: 'object' },
  }));
}

function lastBlockOf(message: MessageParam | undefined): ContentBlockParam | undefined {
  if (message === undefined || typeof message.content === 'string') return undefined;
  return message.content.at(-1);
}

/** Sets a breakpoint on `block`; thinking blocks cannot carry one. */
function markForCache(block: ContentBlockParam | undefined): boolean {
  if (block === undefined || block.type === 'thinking' || block.type === 'redacted_thinking') return false;
  block.cache_control = ephemeral();
  return true;
}

/**
 * Builds the prompt of one request with prompt-caching breakpoints, in prefix order: the system
 * prompt, the last tool (tools render before messages, so this caches all of them), the last block
 * of the previous user message (what the previous request wrote to the cache, so it is still hit
 * when a turn adds more blocks than the API's look-back of 20), and the last block of the last
 * message (what the next request will read). At most {@link MAX_CACHE_BREAKPOINTS}.
 */
export function buildAnthropicPrompt(input: {
  system: string;
  tools: readonly ToolDefinition[];
  messages: readonly ChatMessage[];
}): AnthropicPrompt {
  const system: TextBlockParam[] = hasText(input.system)
    ? [{ type: 'text', text: input.system, cache_control: ephemeral() }]
    : [];
  const tools = toAnthropicTools(input.tools);
  const lastTool = tools.at(-1);
  if (lastTool !== undefined) lastTool.cache_control = ephemeral();
  const messages = toAnthropicMessages(input.messages);

  let budget = MAX_CACHE_BREAKPOINTS - system.length - (lastTool === undefined ? 0 : 1);
  const userIndexes = messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  const previousUser = userIndexes.at(-2);
  const targets = [
    lastBlockOf(messages.at(-1)),
    previousUser === undefined ? undefined : lastBlockOf(messages[previousUser]),
  ];
  for (const block of targets) {
    if (budget > 0 && markForCache(block)) budget--;
  }
  return { system, tools, messages };
}
