import { z } from 'zod';
import { costEstimateSchema } from '../../src/core/events.js';
import type { ApprovalDecision } from '../../src/core/operations.js';
import type { AdapterStateStore } from '../../src/core/agent-gateway.js';

/** What the renderer stores about a posted approval card, so a click on any gateway can finish it. */
export const cardCallSchema = z.object({
  toolCallId: z.string(),
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  reason: z.string().optional(),
  estimate: costEstimateSchema.optional(),
});
export type CardCall = z.infer<typeof cardCallSchema>;

export const cardDecisionSchema = z.object({
  toolCallId: z.string(),
  approved: z.boolean(),
  by: z.string(),
  at: z.number(),
  feedback: z.string().optional(),
});
export type CardDecision = z.infer<typeof cardDecisionSchema>;

const cardFieldOf = (cardTs: string) => `card:${cardTs}`;
const decisionFieldOf = (cardTs: string, toolCallId: string) => `card:${cardTs}:decision:${toolCallId}`;

/** An approval card's calls and the decisions taken so far, kept in the session's adapter state. */
export class ApprovalCards {
  constructor(private readonly state: AdapterStateStore) {}

  async save(sessionId: string, cardTs: string, calls: readonly CardCall[]): Promise<void> {
    await this.state.set(sessionId, { [cardFieldOf(cardTs)]: JSON.stringify(calls) });
  }

  async load(
    sessionId: string,
    cardTs: string,
  ): Promise<{ calls: CardCall[]; decisions: CardDecision[] } | undefined> {
    // Only this card's fields: a session's state holds every card it ever showed.
    const raw = await this.state.get(sessionId, cardFieldOf(cardTs));
    if (raw === undefined) return undefined;
    const calls = z.array(cardCallSchema).parse(JSON.parse(raw));
    const fields = calls.map((c) => decisionFieldOf(cardTs, c.toolCallId));
    const found = await this.state.getMany(sessionId, fields);
    const decisions = fields.flatMap((f) => {
      const d = found[f];
      return d === undefined ? [] : [cardDecisionSchema.parse(JSON.parse(d))];
    });
    return { calls, decisions };
  }

  async record(sessionId: string, cardTs: string, decisions: readonly CardDecision[]): Promise<void> {
    const fields = Object.fromEntries(
      decisions.map((d) => [decisionFieldOf(cardTs, d.toolCallId), JSON.stringify(d)]),
    );
    await this.state.set(sessionId, fields);
  }
}

/** The operation's form of the card's decisions. */
export function toApprovalDecisions(decisions: readonly CardDecision[]): ApprovalDecision[] {
  return decisions.map((d) => ({
    toolCallId: d.toolCallId,
    approved: d.approved,
    ...(d.feedback ? { feedback: d.feedback } : {}),
  }));
}
