import type { ToolCall, ToolMessage } from '../core/messages.js';
import type { AnyToolSpec, JobWatchRequest, SubAgentModel } from '../core/tool-spec.js';
import { emitEvent, type AgentDeps } from './agent-deps.js';

/** A spend that is not tokens (a launched job's estimate). */
const NO_TOKENS = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

/** Longest tool output kept in the history; the rest is cut with a note (the model can page). */
export const MAX_TOOL_OUTPUT_CHARS = 40_000;

export type CheckedCall =
  | { ok: true; call: ToolCall; spec: AnyToolSpec; args: unknown }
  | { ok: false; call: ToolCall; result: ToolMessage };

/** Validates a call the model made: known tool, parseable JSON, arguments matching the schema. */
export function checkCall(deps: AgentDeps, call: ToolCall): CheckedCall {
  const spec = deps.registry.get(call.name);
  if (!spec) {
    const known = deps.registry.names().join(', ');
    return malformed(call, `Unknown tool "${call.name}". Available tools: ${known}.`);
  }
  if (call.parseError !== undefined) {
    return malformed(call, `Invalid JSON in the arguments (${call.parseError}). Send one valid JSON object.`);
  }
  const parsed = spec.parameters.safeParse(call.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return malformed(call, `Invalid arguments for ${call.name}: ${issues}`);
  }
  return { ok: true, call, spec, args: parsed.data };
}

function malformed(call: ToolCall, content: string): CheckedCall {
  return {
    ok: false,
    call,
    result: { role: 'tool', toolCallId: call.id, name: call.name, content, isError: true, malformed: true },
  };
}

/**
 * Runs one validated call: journaled first when it has side effects (so a crash is reported as
 * "outcome unknown", never re-run), given the turn's abort signal and a `tool_log` channel.
 */
export async function executeCall(
  deps: AgentDeps,
  sessionId: string,
  checked: Extract<CheckedCall, { ok: true }>,
  signal: AbortSignal,
  model?: SubAgentModel,
): Promise<ToolMessage> {
  const { call, spec, args } = checked;
  const base = { role: 'tool' as const, toolCallId: call.id, name: call.name };
  if (signal.aborted) return { ...base, content: 'Not run: the turn was interrupted.', isError: true };
  if (spec.sideEffects) await deps.toolCalls.journalStart(sessionId, call, true);
  await emitEvent(deps, sessionId, {
    type: 'tool_state_change',
    toolCallId: call.id,
    tool: call.name,
    state: 'running',
  });
  try {
    const result = await spec.execute(args, {
      sessionId,
      toolCallId: call.id,
      signal,
      state: deps.toolState(sessionId),
      ...(model ? { model } : {}),
      ...(deps.watchJob
        ? { watchJob: (request: JobWatchRequest) => deps.watchJob!(sessionId, request) }
        : {}),
      log: async (line) => {
        await emitEvent(deps, sessionId, {
          type: 'tool_log',
          toolCallId: call.id,
          tool: call.name,
          log: line,
        });
      },
      emit: async (event) => {
        await emitEvent(deps, sessionId, event);
      },
    });
    deps.metrics.toolRun(call.name, !result.isError);
    if (result.spendUsd !== undefined && result.spendUsd > 0) {
      await deps.sessions.addSpend(sessionId, NO_TOKENS, result.spendUsd);
      const owner = (await deps.sessions.get(sessionId))?.owner ?? '';
      await deps.spend.add(owner, result.spendUsd);
    }
    return { ...base, content: truncate(result.output), ...(result.isError ? { isError: true } : {}) };
  } catch (err) {
    if (signal.aborted) {
      return {
        ...base,
        content: 'Stopped while running: the turn was interrupted (by the user or a worker shutdown).',
        isError: true,
      };
    }
    deps.logger.warn({ err, sessionId, tool: call.name }, 'tool failed');
    deps.metrics.toolRun(call.name, false);
    const message = err instanceof Error ? err.message : String(err);
    return { ...base, content: `Tool error: ${message}`, isError: true };
  }
}

function truncate(output: string): string {
  if (output.length <= MAX_TOOL_OUTPUT_CHARS) return output;
  const cut = output.length - MAX_TOOL_OUTPUT_CHARS;
  return `${output.slice(0, MAX_TOOL_OUTPUT_CHARS)}\n…[${cut} more characters cut]`;
}
