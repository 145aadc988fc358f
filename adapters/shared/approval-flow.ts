import type { AgentGateway } from '../../src/core/agent-gateway.js';
import type { AdapterContext } from './adapter-context.js';
import { mayApprove } from './access-policy.js';
import {
  ApprovalCards,
  toApprovalDecisions,
  type CardCall,
  type CardDecision,
} from './approval-decisions.js';

/** How long a decision claim is remembered (a card is rarely clicked after a day). */
const DECISION_TTL_MS = 24 * 60 * 60 * 1000;

/** Where a click happened, in the platform's ids (a Slack thread ts, a Discord thread id...). */
export interface ClickSite {
  platform: string;
  user: string;
  channel: string;
  thread: string;
  /** The id of the card message the button is on. */
  cardId: string;
}

/** What the flow needs from the platform: telling the clicker something, and redrawing the card. */
export interface ApprovalSurface {
  /** A short note only the clicker sees. */
  tell(text: string): Promise<void>;
  /** Redraws the card with the decisions so far (buttons gone for decided calls). */
  redraw(calls: readonly CardCall[], decisions: readonly CardDecision[], complete: boolean): Promise<void>;
}

/** The shared context plus how the platform writes a mention. */
export type ApprovalFlowDeps = Pick<AdapterContext, 'gateway' | 'approvers' | 'follow' | 'logger'> & {
  platform: string;
  mention: (userId: string) => string;
};

/**
 * The clicker may act on this session: it exists, the click happened in the session's own thread
 * (no replaying a button into another session), and they are the owner or an approver.
 */
export async function mayActOn(
  deps: ApprovalFlowDeps,
  surface: ApprovalSurface,
  sessionId: string,
  site: ClickSite,
) {
  const summary = sessionId ? await deps.gateway.session(sessionId) : undefined;
  const thread = summary?.thread;
  if (
    !summary ||
    !thread ||
    thread.platform !== site.platform ||
    thread.channel !== site.channel ||
    thread.thread !== site.thread
  ) {
    deps.logger.warn(
      { sessionId, channel: site.channel, user: site.user, platform: deps.platform },
      'action for another thread refused',
    );
    await surface.tell('That button does not belong to this thread.');
    return false;
  }
  if (!mayApprove(deps.approvers, summary.owner, site.user)) {
    await surface.tell(`Only ${deps.mention(summary.owner)} or an approver can decide this.`);
    return false;
  }
  return true;
}

/**
 * Records decisions on a card. The first click on a call wins (a double click is a no-op with a
 * note); once every call on the card is decided, one `exec_approval` goes to the session and the
 * card is redrawn to say who decided what, without buttons.
 */
export async function decideOnCard(
  deps: ApprovalFlowDeps,
  surface: ApprovalSurface,
  site: ClickSite,
  decision: { sessionId: string; toolCallIds: readonly string[]; approved: boolean; feedback?: string },
): Promise<void> {
  const { sessionId } = decision;
  if (!(await mayActOn(deps, surface, sessionId, site))) return;
  const cards = new ApprovalCards(deps.gateway.adapterState(site.platform));
  const card = await cards.load(sessionId, site.cardId);
  const onCard = decision.toolCallIds.filter((id) => card?.calls.some((c) => c.toolCallId === id));
  if (!card || onCard.length === 0) return surface.tell('That approval is no longer open.');
  const fresh: CardDecision[] = [];
  for (const toolCallId of onCard) {
    if (card.decisions.some((d) => d.toolCallId === toolCallId)) continue;
    if (
      !(await deps.gateway.claimOnce(`${site.platform}:decide:${sessionId}:${toolCallId}`, DECISION_TTL_MS))
    )
      continue;
    fresh.push({
      toolCallId,
      approved: decision.approved,
      by: site.user,
      at: Date.now(),
      ...(decision.feedback ? { feedback: decision.feedback } : {}),
    });
  }
  if (fresh.length === 0) return surface.tell('That was already decided.');
  await cards.record(sessionId, site.cardId, fresh);
  const decisions = [...card.decisions, ...fresh];
  const complete = card.calls.every((c) => decisions.some((d) => d.toolCallId === c.toolCallId));
  await surface.redraw(card.calls, decisions, complete);
  if (complete) {
    await deps.follow(sessionId);
    await deps.gateway.submit(
      sessionId,
      { type: 'exec_approval', decisions: toApprovalDecisions(decisions) },
      site.user,
    );
  }
}

/** The call a "Reject with feedback" click is about, if it is still on the card. */
export async function cardCall(
  gateway: AgentGateway,
  platform: string,
  sessionId: string,
  cardId: string,
  toolCallId: string,
) {
  const card = await new ApprovalCards(gateway.adapterState(platform)).load(sessionId, cardId);
  return card?.calls.find((c) => c.toolCallId === toolCallId);
}
