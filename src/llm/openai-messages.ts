import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionToolMessageParam,
} from 'openai/resources/chat/completions';
import type { ToolDefinition } from '../core/llm-provider.js';
import type { AssistantMessage, ChatMessage, ToolMessage } from '../core/messages.js';
import { MISSING_TOOL_RESULT } from './anthropic-messages.js';

/**
 * Our provider-neutral history → the Chat Completions wire shape. Pure functions, no I/O; no cache
 * fields (prompt caching is Anthropic's).
 *
 * The rules that shape this code: every `tool_calls` entry of an assistant message is answered by
 * a `tool` message with its id before the next user or assistant message; many open models' chat
 * templates insist on alternating user and assistant turns, so consecutive user texts and
 * consecutive assistant messages merge. A call's arguments are always valid JSON on the wire: a
 * malformed call is replayed with the `{}` it was recorded with (its raw text is in its error
 * result), because some servers parse the arguments of earlier calls and reject the whole request.
 */

/** Tool results that were errors say so in their text: the wire format has no error flag. */
export const ERROR_PREFIX = 'Error: ';

type Turn =
  | { role: 'user'; texts: string[] }
  | { role: 'assistant'; texts: string[]; calls: ChatCompletionMessageFunctionToolCall[] }
  | { role: 'tool'; message: ToolMessage };

function hasText(text: string): boolean {
  return text.trim().length > 0;
}

function wireCall(
  call: NonNullable<AssistantMessage['toolCalls']>[number],
): ChatCompletionMessageFunctionToolCall {
  return {
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.input) },
  };
}

function resultText(message: ToolMessage): string {
  const content = message.content.length > 0 ? message.content : '(empty)';
  return message.isError === true && !content.startsWith(ERROR_PREFIX)
    ? `${ERROR_PREFIX}${content}`
    : content;
}

/** Folds the history into turns, merging what open models' templates want merged. */
function turnsOf(history: readonly ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  for (const message of history) {
    const last = turns.at(-1);
    if (message.role === 'user') {
      if (!hasText(message.content)) continue;
      if (last?.role === 'user') last.texts.push(message.content);
      else turns.push({ role: 'user', texts: [message.content] });
    } else if (message.role === 'assistant') {
      const calls = (message.toolCalls ?? []).map(wireCall);
      const texts = hasText(message.content) ? [message.content] : [];
      if (calls.length === 0 && texts.length === 0) continue;
      // Text after calls would need its own message after their results; keep calls last.
      if (last?.role === 'assistant' && last.calls.length === 0) {
        last.texts.push(...texts);
        last.calls.push(...calls);
      } else turns.push({ role: 'assistant', texts, calls });
    } else turns.push({ role: 'tool', message });
  }
  return turns;
}

/**
 * Pairs every call with exactly one result placed right after its assistant message: a call
 * without a result gets an error result, and a result without its call (a crash, an undo or a
 * compaction cut between them) or a second result for one call becomes user text. That text waits
 * until the open calls are answered: a user message between two `tool` messages of one assistant
 * message is as fatal as a missing result. One bad pair would otherwise fail every later request
 * of the session with a 400.
 */
function pairCalls(turns: Turn[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  let open: Map<string, boolean> | undefined; // ids of the last assistant's calls → answered?
  let strays: string[] = []; // stray results seen while calls were open, as user text
  const pushUserText = (text: string): void => {
    const last = out.at(-1);
    if (last?.role === 'user' && typeof last.content === 'string')
      last.content = `${last.content}\n\n${text}`;
    else out.push({ role: 'user', content: text });
  };
  const closeOpen = (): void => {
    for (const [id, answered] of open ?? []) {
      if (!answered) out.push(toolMessage(id, `${ERROR_PREFIX}${MISSING_TOOL_RESULT}`));
    }
    open = undefined;
    for (const text of strays) pushUserText(text);
    strays = [];
  };
  for (const turn of turns) {
    if (turn.role === 'tool') {
      const id = turn.message.toolCallId;
      if (open?.get(id) === false) {
        open.set(id, true);
        out.push(toolMessage(id, resultText(turn.message)));
      } else {
        const name = turn.message.name || 'tool';
        const text = `Result of the earlier ${name} call ${id}:\n${resultText(turn.message)}`;
        if (open === undefined) pushUserText(text);
        else strays.push(text);
      }
      continue;
    }
    closeOpen();
    if (turn.role === 'user') {
      pushUserText(turn.texts.join('\n\n'));
      continue;
    }
    const message: ChatCompletionAssistantMessageParam = {
      role: 'assistant',
      content: turn.texts.length > 0 ? turn.texts.join('\n\n') : null,
    };
    if (turn.calls.length > 0) {
      message.tool_calls = turn.calls;
      open = new Map(turn.calls.map((call) => [call.id, false]));
    }
    out.push(message);
  }
  closeOpen();
  return out;
}

function toolMessage(id: string, content: string): ChatCompletionToolMessageParam {
  return { role: 'tool', tool_call_id: id, content };
}

/** The system prompt (when not blank) followed by the converted history. */
export function toOpenAiMessages(
  system: string,
  history: readonly ChatMessage[],
): ChatCompletionMessageParam[] {
  const messages = pairCalls(turnsOf(history));
  return hasText(system) ? [{ role: 'system', content: system }, ...messages] : messages;
}

/** Tool definitions as function tools, from the same JSON Schemas the Anthropic tools use. */
export function toOpenAiTools(tools: readonly ToolDefinition[]): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: { ...tool.inputSchema, type: 'object' },
    },
  }));
}
