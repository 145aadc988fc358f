import { z } from 'zod';

/**
 * The LLM history, provider-neutral. Stored one JSON message per Redis list entry, so a turn only
 * appends what it adds. Tool results are their own messages (one per call) so that each is written
 * the moment it exists; providers merge them into their own wire shape.
 */

export const toolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Parsed arguments; `{}` when the model's JSON could not be parsed (see `parseError`). */
  input: z.record(z.string(), z.unknown()),
  /** Set when the streamed argument JSON was malformed; the raw text is kept for the error result. */
  parseError: z.string().optional(),
  rawInput: z.string().optional(),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const chatMessageSchema = z.discriminatedUnion('role', [
  z.object({
    role: z.literal('user'),
    content: z.string(),
    /** Set on messages the agent wrote itself (nudges, corrective notes, summaries): undo skips them. */
    synthetic: z.enum(['note', 'summary']).optional(),
    /** The `user_input` operation that added it: a resumed run knows whether its message is in. */
    opId: z.string().optional(),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    toolCalls: z.array(toolCallSchema).optional(),
  }),
  z.object({
    role: z.literal('tool'),
    toolCallId: z.string(),
    name: z.string(),
    content: z.string(),
    isError: z.boolean().optional(),
    /** The call never ran because its arguments were malformed or its tool unknown. */
    malformed: z.boolean().optional(),
  }),
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;
export type ToolMessage = Extract<ChatMessage, { role: 'tool' }>;
export type UserMessage = Extract<ChatMessage, { role: 'user' }>;
