import type { LlmProvider, LlmRequest, LlmResponse } from '../core/llm-provider.js';
import type { ToolCall } from '../core/messages.js';
import { InterruptedError } from '../core/errors.js';

/** One scripted reply: text (streamed in `chunks` pieces) and/or tool calls, after `delayMs`. */
export interface ScriptedReply {
  text?: string;
  toolCalls?: Array<Omit<ToolCall, 'id'> & { id?: string }>;
  delayMs?: number;
  chunks?: number;
  /** Pause between chunks (a model streaming slowly). */
  chunkDelayMs?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/**
 * An in-process LLM that answers from a script: the benchmark's zero-latency (or fixed-latency)
 * model. Tests do not use it: they go through the real SDK against the loopback fake.
 */
export class ScriptedProvider implements LlmProvider {
  private counter = 0;
  readonly requests: LlmRequest[] = [];

  constructor(private readonly script: (request: LlmRequest, callIndex: number) => ScriptedReply) {}

  async complete(
    request: LlmRequest,
    onText: (delta: string) => void,
    signal: AbortSignal,
  ): Promise<LlmResponse> {
    // A snapshot: the loop keeps appending to the history array it passed in.
    const index = this.requests.push({ ...request, messages: [...request.messages] }) - 1;
    const reply = this.script(request, index);
    if (reply.delayMs) await sleep(reply.delayMs, signal);
    if (signal.aborted) throw new InterruptedError();
    const text = reply.text ?? '';
    const pieces = Math.max(1, reply.chunks ?? 1);
    const size = Math.ceil(text.length / pieces);
    for (let i = 0; i < text.length; i += size) {
      if (i > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs, signal);
      if (signal.aborted) throw new InterruptedError();
      onText(text.slice(i, i + size));
    }
    const toolCalls = (reply.toolCalls ?? []).map((c) => ({ ...c, id: c.id ?? `call_${++this.counter}` }));
    return {
      text,
      toolCalls,
      stopReason: toolCalls.length > 0 ? 'tool_use' : 'end_turn',
      usage: {
        inputTokens: reply.inputTokens ?? 10,
        outputTokens: reply.outputTokens ?? Math.ceil(text.length / 4),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
    };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
