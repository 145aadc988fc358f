import type { AgentGateway, ThreadRef } from '../../src/core/agent-gateway.js';

/** The thread's session, unless it has ended (a new message then starts a fresh one). */
export async function liveSession(gateway: AgentGateway, ref: ThreadRef): Promise<string | undefined> {
  const id = await gateway.threadSession(ref);
  if (!id) return undefined;
  const summary = await gateway.session(id);
  return summary && summary.status !== 'ended' ? id : undefined;
}

/**
 * Binds a thread to a freshly created session and returns the session that holds the thread: ours,
 * or one another gateway bound first. An ended session there is replaced by ours.
 */
export async function claimThread(gateway: AgentGateway, ref: ThreadRef, created: string): Promise<string> {
  const bound = await gateway.bindThread(ref, created);
  if (bound === created) return created;
  const summary = await gateway.session(bound);
  if (summary && summary.status !== 'ended') return bound;
  await gateway.rebindThread(ref, created);
  return created;
}
