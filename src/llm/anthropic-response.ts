import type {
  MessageDeltaUsage,
  RawMessageStreamEvent,
  Usage as AnthropicUsage,
} from '@anthropic-ai/sdk/resources/messages';
import type { Usage } from '../core/events.js';
import type { LlmResponse } from '../core/llm-provider.js';
import type { ToolCall } from '../core/messages.js';
import { isPlainObject, parseToolInput } from './tool-input.js';

/** Folds the raw stream events into one response. */
export class ResponseAccumulator {
  finished = false;
  private text = '';
  private stopReason: string | null = null;
  private readonly toolCalls: ToolCall[] = [];
  private readonly openTools = new Map<
    number,
    { id: string; name: string; json: string; initial: unknown }
  >();
  private readonly usage: Usage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };

  /** Applies one event and returns the text it adds (often empty). */
  apply(event: RawMessageStreamEvent): string {
    switch (event.type) {
      case 'message_start':
        this.mergeUsage(event.message.usage);
        return '';
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') {
          this.openTools.set(event.index, { id: block.id, name: block.name, json: '', initial: block.input });
          return '';
        }
        return block.type === 'text' ? this.addText(block.text) : '';
      }
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') return this.addText(event.delta.text);
        if (event.delta.type === 'input_json_delta') {
          const tool = this.openTools.get(event.index);
          if (tool !== undefined) tool.json += event.delta.partial_json;
        }
        return '';
      case 'content_block_stop':
        this.closeTool(event.index);
        return '';
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        this.mergeUsage(event.usage);
        return '';
      case 'message_stop':
        this.finished = true;
        return '';
      default:
        // Event types newer than this code carry nothing it uses.
        return '';
    }
  }

  response(): LlmResponse {
    for (const index of [...this.openTools.keys()]) this.closeTool(index);
    return {
      text: this.text,
      toolCalls: this.toolCalls,
      stopReason: this.stopReason ?? 'end_turn',
      usage: { ...this.usage },
    };
  }

  private addText(text: string): string {
    this.text += text;
    return text;
  }

  private closeTool(index: number): void {
    const tool = this.openTools.get(index);
    if (tool === undefined) return;
    this.openTools.delete(index);
    const call: ToolCall = { id: tool.id, name: tool.name, input: {} };
    if (tool.json.trim() === '') {
      // No deltas: the input (if any) came whole in content_block_start.
      if (isPlainObject(tool.initial)) call.input = tool.initial;
    } else {
      const parsed = parseToolInput(tool.json);
      if (parsed.ok) call.input = parsed.input;
      else {
        call.parseError = parsed.error;
        call.rawInput = tool.json;
      }
    }
    this.toolCalls.push(call);
  }

  /**
   * message_start and message_delta both carry cumulative counts; a null or missing count means
   * "unchanged" (message_delta often leaves the input counts out).
   */
  private mergeUsage(usage: Partial<AnthropicUsage | MessageDeltaUsage> | undefined): void {
    if (usage === undefined) return;
    const { input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens } = usage;
    if (typeof input_tokens === 'number') this.usage.inputTokens = input_tokens;
    if (typeof output_tokens === 'number') this.usage.outputTokens = output_tokens;
    if (typeof cache_read_input_tokens === 'number') this.usage.cacheReadTokens = cache_read_input_tokens;
    if (typeof cache_creation_input_tokens === 'number')
      this.usage.cacheWriteTokens = cache_creation_input_tokens;
  }
}
