import { z } from 'zod';
import type { AdapterStateStore } from '../../src/core/agent-gateway.js';

/**
 * What the session's Discord adapter state remembers about a job card (field `job:<jobId>`): the
 * message it is, so another gateway or a restarted one edits the same card instead of posting a
 * second, the job's namespace, which the Cancel button needs (its custom id carries only the
 * session and the job), and whether the card is over (the job ended, or its thread is gone).
 */
export const storedJobCardSchema = z.object({
  messageId: z.string().optional(),
  namespace: z.string(),
  final: z.boolean().optional(),
  /** The card's channel or message was deleted: later updates for the job are ignored. */
  dropped: z.boolean().optional(),
});
export type StoredJobCard = z.infer<typeof storedJobCardSchema>;

const fieldOf = (jobId: string) => `job:${jobId}`;

export class JobCardState {
  constructor(private readonly state: AdapterStateStore) {}

  async load(sessionId: string, jobId: string): Promise<StoredJobCard | undefined> {
    const raw = await this.state.get(sessionId, fieldOf(jobId));
    if (raw === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return undefined;
    }
    const parsed = storedJobCardSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  }

  async save(sessionId: string, jobId: string, card: StoredJobCard): Promise<void> {
    await this.state.set(sessionId, { [fieldOf(jobId)]: JSON.stringify(card) });
  }
}
