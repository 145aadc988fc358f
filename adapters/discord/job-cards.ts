import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { Logger } from 'pino';
import { CoalescedEdits, type EditableTarget } from '../shared/coalesced-edits.js';
import type { JobUpdate } from '../shared/job-update-text.js';
import { jobCardMessage } from './job-card.js';
import type { JobCardState, StoredJobCard } from './job-card-state.js';
import type { DiscordContent } from './discord-views.js';

/** A job card is edited at most this often, except when the stage changes or the job ends. */
export const JOB_CARD_INTERVAL_MS = 10_000;

interface LiveCard {
  edits: CoalescedEdits<DiscordContent>;
  /** The stage the card last showed; undefined until this process has shown one. */
  stage: string | undefined;
  stored: StoredJobCard;
}

/**
 * A session's job cards: one message per job, posted on its first `job_update` and edited in place
 * after. Edits are coalesced to one per {@link JOB_CARD_INTERVAL_MS} (the latest update wins; its
 * pending edit is a timer of the card's that `flush` delivers and clears when the session ends or
 * the adapter stops), except a stage change or the final update, which go out at once. The card's
 * message id is stored in the session's adapter state before anything else happens to it, so a
 * restart or another gateway keeps editing the same message. A card whose channel or message was
 * deleted is dropped with a log line; later updates for that job are ignored.
 */
export class JobCards {
  private readonly live = new Map<string, LiveCard>();
  /** Jobs whose card is over (ended or dropped): their updates are ignored. */
  private readonly closed = new Set<string>();

  constructor(
    private readonly sessionId: string,
    private readonly target: EditableTarget<DiscordContent>,
    private readonly state: JobCardState,
    private readonly logger: Logger,
    private readonly intervalMs = JOB_CARD_INTERVAL_MS,
  ) {}

  async update(update: JobUpdate): Promise<void> {
    const { jobId } = update;
    if (this.closed.has(jobId)) return;
    const card = this.live.get(jobId) ?? (await this.open(update));
    if (!card) return;
    const urgent = update.final || card.stage !== update.stage;
    card.stage = update.stage;
    await card.edits.show(jobCardMessage(this.sessionId, update));
    if (urgent) await card.edits.flush();
    // A card dropped by that delivery is already closed.
    if (update.final && this.live.get(jobId) === card) {
      this.live.delete(jobId);
      this.closed.add(jobId);
      await this.save(jobId, { ...card.stored, final: true });
    }
  }

  /** Delivers every card's pending edit now (the session ended, or the adapter stops). */
  async flush(): Promise<void> {
    await Promise.all([...this.live.values()].map((card) => card.edits.flush()));
  }

  private async open(update: JobUpdate): Promise<LiveCard | undefined> {
    const { jobId } = update;
    const stored = await this.state.load(this.sessionId, jobId);
    if (stored?.final || stored?.dropped) {
      this.closed.add(jobId);
      return undefined;
    }
    // The callbacks run only once the card exists: its first post is the earliest.
    const target: EditableTarget<DiscordContent> = {
      post: async (content) => {
        const id = await this.target.post(content);
        if (id !== undefined) {
          card.stored = { ...card.stored, messageId: id };
          await this.save(jobId, card.stored);
        }
        return id;
      },
      edit: (id, content) => this.target.edit(id, content),
    };
    const card: LiveCard = {
      stage: undefined,
      stored: stored ?? { namespace: update.namespace },
      edits: new CoalescedEdits(
        target,
        this.intervalMs,
        (err) => this.failed(jobId, card, err),
        stored?.messageId,
      ),
    };
    this.live.set(jobId, card);
    return card;
  }

  private failed(jobId: string, card: LiveCard, err: unknown): void {
    if (!isGone(err)) {
      this.logger.warn({ err, sessionId: this.sessionId, jobId }, 'discord job card delivery failed');
      return;
    }
    if (this.closed.has(jobId)) return;
    this.live.delete(jobId);
    this.closed.add(jobId);
    this.logger.warn(
      { sessionId: this.sessionId, jobId, code: err.code, messageId: card.stored.messageId },
      'discord job card dropped: its channel or message was deleted',
    );
    void this.save(jobId, { ...card.stored, dropped: true });
  }

  /** Saves the card's state; a failure is logged (the card itself already went out). */
  private async save(jobId: string, card: StoredJobCard): Promise<void> {
    try {
      await this.state.save(this.sessionId, jobId, card);
    } catch (err) {
      this.logger.warn({ err, sessionId: this.sessionId, jobId }, 'discord job card state not saved');
    }
  }
}

/** Discord's 404 for a deleted channel or thread (10003) or a deleted message (10008). */
export function isGone(err: unknown): err is DiscordAPIError {
  return (
    err instanceof DiscordAPIError &&
    (err.code === RESTJSONErrorCodes.UnknownChannel || err.code === RESTJSONErrorCodes.UnknownMessage)
  );
}
