import type { LlmResponse } from '../../core/llm-provider.js';
import type { ChatMessage, ToolCall } from '../../core/messages.js';
import type { AnyToolSpec, ToolContext } from '../../core/tool-spec.js';
import { ToolRegistry } from '../tool-registry.js';
import { trimOutput } from '../shared/trim-output.js';
import { researchRefusal } from './read-only-view.js';

/** The sub-agent's limits (config `research`). */
export interface ResearchLimits {
  maxIterations: number;
  /** Input plus output tokens over all its calls; past it, one last call must write the report. */
  tokenBudget: number;
  /** One LLM call's deadline. */
  callTimeoutMs: number;
}

export const RESEARCH_SYSTEM_PROMPT = `You are the research assistant of an ML engineering agent. You get one task and work alone:
search the Hugging Face docs, papers, datasets, repos, GitHub and the web with your tools, read what
matters, and stop as soon as you can answer. You can only read: you cannot change anything, run jobs or
ask anyone. When you are done, answer with a concise report (at most ~400 words): the findings, the
exact names, versions and parameters that matter, working code pointers, and the links (Hub, docs,
papers, GitHub) that back them. Say what you could not find.`;

const FINAL_NOTE =
  'Your research budget is spent. Write the final report now from what you have, without calling tools.';

export interface ResearchOutcome {
  report: string;
  iterations: number;
  tokens: number;
  toolCalls: number;
}

/**
 * Runs the sub-agent: its own history, a read-only tool set, the session's model (whose spend the
 * context records), progress as `tool_log` lines. Calls the read-only view refuses never run.
 */
export async function runResearch(
  input: { task: string; context?: string | undefined },
  tools: readonly AnyToolSpec[],
  limits: ResearchLimits,
  ctx: ToolContext,
): Promise<ResearchOutcome> {
  const model = ctx.model;
  if (model === undefined) throw new Error('research needs the session model, which this call was not given');
  const registry = new ToolRegistry(tools);
  const history: ChatMessage[] = [
    { role: 'user', content: input.context ? `${input.task}\n\nContext:\n${input.context}` : input.task },
  ];
  let tokens = 0;
  let toolCalls = 0;
  for (let iteration = 1; ; iteration++) {
    const last = iteration >= limits.maxIterations || tokens >= limits.tokenBudget;
    if (last) history.push({ role: 'user', content: FINAL_NOTE, synthetic: 'note' });
    const response = await callModel(model, history, last ? [] : registry, limits, ctx.signal);
    tokens += response.usage.inputTokens + response.usage.outputTokens + response.usage.cacheReadTokens;
    history.push({
      role: 'assistant',
      content: response.text,
      ...(response.toolCalls.length > 0 ? { toolCalls: response.toolCalls } : {}),
    });
    if (response.toolCalls.length === 0 || last) {
      const report = response.text.trim() || 'The research ended without a report.';
      return { report, iterations: iteration, tokens, toolCalls };
    }
    toolCalls += response.toolCalls.length;
    const results = await Promise.all(response.toolCalls.map((call) => runCall(registry, call, ctx)));
    history.push(...results);
  }
}

async function callModel(
  model: NonNullable<ToolContext['model']>,
  history: readonly ChatMessage[],
  registry: ToolRegistry | [],
  limits: ResearchLimits,
  signal: AbortSignal,
): Promise<LlmResponse> {
  return model.complete(
    {
      system: RESEARCH_SYSTEM_PROMPT,
      messages: history,
      tools: Array.isArray(registry) ? [] : registry.definitions(),
      maxTokens: 4_000,
      stream: false,
    },
    AbortSignal.any([signal, AbortSignal.timeout(limits.callTimeoutMs)]),
  );
}

/** One sub-agent call: checked like the main agent's, refused unless it only reads, then run. */
async function runCall(registry: ToolRegistry, call: ToolCall, ctx: ToolContext): Promise<ChatMessage> {
  const result = (content: string, isError = false): ChatMessage => ({
    role: 'tool',
    toolCallId: call.id,
    name: call.name,
    content,
    ...(isError ? { isError: true } : {}),
  });
  const spec = registry.get(call.name);
  if (spec === undefined) {
    return result(`Unknown tool "${call.name}". Available: ${registry.names().join(', ')}.`, true);
  }
  if (call.parseError !== undefined)
    return result(`Invalid JSON in the arguments (${call.parseError}).`, true);
  const parsed = spec.parameters.safeParse(call.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return result(`Invalid arguments for ${call.name}: ${issues}`, true);
  }
  const refusal = researchRefusal(spec, parsed.data, ctx.sessionId);
  if (refusal !== undefined) {
    await ctx.log(`research: refused ${call.name}: ${refusal}`);
    return result(`Refused: ${refusal}`, true);
  }
  await ctx.log(`research: ${call.name} ${summarise(call.input)}`);
  try {
    const output = await spec.execute(parsed.data, { ...ctx, toolCallId: `${ctx.toolCallId}/${call.id}` });
    return result(trimOutput(output.output), output.isError === true);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return result(`Tool error: ${err instanceof Error ? err.message : String(err)}`, true);
  }
}

function summarise(input: Record<string, unknown>): string {
  const text = Object.entries(input)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
