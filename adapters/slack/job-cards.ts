import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AdapterStateStore } from '../../src/core/agent-gateway.js';
import { jobCardContent, jobCardDue, JOB_CARD_INTERVAL_MS, type JobUpdate } from './job-card.js';
import { platformError } from './render/call-failures.js';

/**
 * Slack's answers meaning the card has nowhere to go any more: its channel or thread was deleted
 * (or archived), or the card itself was. Retrying cannot help, so the card is dropped.
 */
const GONE = new Set(['channel_not_found', 'thread_not_found', 'message_not_found', 'is_archived']);

/** One job's card as kept in the session's adapter state, so any gateway (or a restarted one) edits it. */
const storedCard = z.object({
  ts: z.string().optional(),
  namespace: z.string(),
  stage: z.string(),
  editedAt: z.number(),
  final: z.boolean().optional(),
  /** Its thread is gone: later updates for the job are ignored. */
  dropped: z.boolean().optional(),
});
export type StoredJobCard = z.infer<typeof storedCard>;

/** The adapter-state field of a job's card. */
export function jobCardField(jobId: string): string {
  return `jobcard:${jobId}`;
}

/** A job's card as stored, if it has one. */
export async function loadJobCard(
  state: AdapterStateStore,
  sessionId: string,
  jobId: string,
): Promise<StoredJobCard | undefined> {
  const raw = await state.get(sessionId, jobCardField(jobId));
  if (raw === undefined) return undefined;
  try {
    const parsed = storedCard.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface JobCardsOptions {
  client: WebClient;
  state: AdapterStateStore;
  logger: Logger;
  /** Applied to the job's text before it is cut to fit (the client redacts everything again). */
  redact: (text: string) => string;
  intervalMs?: number;
}

/**
 * The job cards of Slack threads: one message per job, posted on its first update and edited in
 * place after, at most every {@link JOB_CARD_INTERVAL_MS} except on a stage change or the end. No
 * timers: an update that is not due is skipped (the next one carries everything newer), so nothing
 * keeps the process alive or fires after the session is gone. The card's ts and when it was last
 * edited live in adapter state, so the limit holds across gateways and restarts.
 */
export class SlackJobCards {
  constructor(private readonly options: JobCardsOptions) {}

  async show(
    sessionId: string,
    thread: { channel: string; threadTs: string },
    update: JobUpdate,
  ): Promise<void> {
    const { client, state, logger } = this.options;
    const card = await loadJobCard(state, sessionId, update.jobId);
    if (card?.dropped || card?.final) return;
    const now = Date.now();
    if (
      card?.ts !== undefined &&
      !jobCardDue(card, update, now, this.options.intervalMs ?? JOB_CARD_INTERVAL_MS)
    )
      return;
    const content = jobCardContent(sessionId, update, this.options.redact);
    const log = { sessionId, jobId: update.jobId, stage: update.stage, channel: thread.channel };
    let ts = card?.ts;
    try {
      if (ts === undefined) {
        ts = (
          await client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, ...content })
        ).ts;
      } else {
        await client.chat.update({ channel: thread.channel, ts, ...content });
      }
    } catch (err) {
      const code = platformError(err);
      if (code !== undefined && GONE.has(code)) {
        logger.warn({ ...log, error: code }, 'job card dropped: its thread or channel is gone');
        await this.save(sessionId, update, { ...(ts ? { ts } : {}), dropped: true, editedAt: now });
      } else {
        logger.warn({ ...log, err }, 'job card delivery failed; the next update tries again');
      }
      return;
    }
    if (ts === undefined) return; // Slack always answers a post with its ts; without one there is nothing to edit
    await this.save(sessionId, update, { ts, editedAt: now, ...(update.final ? { final: true } : {}) });
  }

  private async save(
    sessionId: string,
    update: JobUpdate,
    card: Omit<StoredJobCard, 'namespace' | 'stage'>,
  ): Promise<void> {
    const value: StoredJobCard = { ...card, namespace: update.namespace, stage: update.stage };
    await this.options.state.set(sessionId, { [jobCardField(update.jobId)]: JSON.stringify(value) });
  }
}
