import type { Usage } from '../core/events.js';
import type { SubAgentModel } from '../core/tool-spec.js';
import { capRefusal } from '../store/spend-ledger.js';
import type { AgentDeps } from './agent-deps.js';
import type { Turn } from './turn.js';

/** What a turn spends outside its own model calls (sub-agents) and the daily caps it checks. */

/**
 * The turn's model for a sub-agent: its calls count toward the turn's and the session's spend, but
 * not toward the prompt size compaction watches (the sub-agent's context is its own).
 */
export function subAgentModel(deps: AgentDeps, turn: Turn): SubAgentModel {
  return {
    complete: async (request, signal) => {
      const response = await turn.model.provider.complete(
        { ...request, model: turn.model.modelId },
        () => undefined,
        signal,
      );
      const cost = turn.model.costOf(response.usage);
      deps.metrics.llmCall(turn.session.model, 'ok', response.usage, cost);
      turn.usage = addUsage(turn.usage, response.usage);
      if (cost === undefined) turn.costUnknown = true;
      else turn.costUsd += cost;
      await deps.sessions.addSpend(turn.session.id, response.usage, cost);
      if (cost !== undefined) await deps.spend.add(turn.session.owner, cost);
      return response;
    },
  };
}

/** Why spending `usd` more would pass a daily cap, or undefined (always undefined without caps). */
export async function dailyCapRefusal(
  deps: AgentDeps,
  owner: string,
  usd: number,
): Promise<string | undefined> {
  const { perDayUsd, perUserDailyUsd } = deps.config.budget;
  if (perDayUsd === undefined && perUserDailyUsd === undefined) return undefined;
  const today = await deps.spend.today(owner);
  // The model-call check (usd 0) stops once a cap is reached; a priced call may not pass it.
  if (usd === 0) {
    if (perDayUsd !== undefined && today.total >= perDayUsd) {
      return `today's spend ($${today.total.toFixed(2)}) has reached budget.perDayUsd ($${perDayUsd.toFixed(2)})`;
    }
    if (perUserDailyUsd !== undefined && today.user >= perUserDailyUsd) {
      return `this user's spend today ($${today.user.toFixed(2)}) has reached budget.perUserDailyUsd ($${perUserDailyUsd.toFixed(2)})`;
    }
    return undefined;
  }
  return capRefusal({ perDayUsd, perUserDailyUsd }, today, usd);
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}
