import type { JobWatchRequest } from '../core/tool-spec.js';
import { z } from 'zod';

/** A job the watcher follows, as stored in Redis (`<prefix>:jobwatch`, one field per job). */
export const watchedJobSchema = z.object({
  sessionId: z.string(),
  namespace: z.string(),
  jobId: z.string(),
  flavor: z.string(),
  /** What the session was charged at launch (price × timeout), replaced by the real cost at the end. */
  estimateUsd: z.number().nonnegative().optional(),
  /** The flavor's price, when known: the card's cost so far is elapsed × this. */
  usdPerSecond: z.number().nonnegative().optional(),
  /** The last stage shown on the card, and when the card was last sent. */
  lastStage: z.string().optional(),
  lastCardAtMs: z.number().optional(),
  /** Failed reads in a row (a Hub that does not answer); after many, the watch ends with a note. */
  failures: z.number().int().nonnegative().default(0),
});
export type WatchedJob = z.infer<typeof watchedJobSchema>;

/** What a launch tells the watcher. */
export type WatchRequest = JobWatchRequest;

export function watchField(namespace: string, jobId: string): string {
  return `${namespace}/${jobId}`;
}
