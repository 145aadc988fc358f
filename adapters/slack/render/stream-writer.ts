import type { WebClient } from '@slack/web-api';
import type { AnswerDelivery } from './answer-delivery.js';
import { CountedChatCalls, type ChatCallStats } from './chat-calls.js';
import { EditDelivery } from './edit-delivery.js';
import { GuardedStream, NO_MENTIONS, type MentionPolicy } from './mention-guard.js';
import { StreamDelivery, type StreamRecipient } from './stream-delivery.js';

/** Time and timers, injectable so tests can drive the coalescing without waiting. */
export interface WriterClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: WriterClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface StreamWriterOptions {
  channel: string;
  threadTs: string;
  /** `stream`: Slack's streaming messages; `edit`: post, then edit in place. */
  mode: 'stream' | 'edit';
  /** At most one call per message per interval after the first (default 1,000 ms, Slack's pace for edits). */
  minEditIntervalMs?: number;
  /** Whom the stream is for; Slack requires it outside DMs (`stream` mode only). */
  recipient?: StreamRecipient;
  clock?: WriterClock;
  /** Told about every failed attempt (the writer retries; `finish` rejects only when it gives up). */
  onError?: (err: unknown) => void;
  /** Attempts of the final flush before `finish` rejects (default 3). */
  maxFinalAttempts?: number;
  /** Whom the answer's text may mention (default: nobody; broadcasts are always neutralised). */
  mentions?: MentionPolicy;
}

/** Longest wait between retries of a failing flush, in intervals. */
const MAX_BACKOFF_INTERVALS = 16;

/**
 * Delivers one assistant answer, arriving as text deltas, to a Slack thread. The first text shows
 * at once; later text is coalesced so that each message gets at most one call per interval; the
 * answer continues in new messages at Slack's size limits; `finish` sends the rest immediately.
 *
 * Calls never overlap, and no text is sent twice: a delivery keeps what Slack has, so a failed
 * call is followed by one that carries exactly what is missing (see {@link AnswerDelivery}).
 * `append` and `finish` may be called rapidly and concurrently; `append` after `finish` throws.
 * The text is model text: it is guarded (see {@link GuardedStream}) before it is sent, a token
 * split across deltas (`<@U1` + `23>`) waiting for its end.
 */
export class StreamWriter {
  private readonly chat: CountedChatCalls;
  private readonly delivery: AnswerDelivery;
  private readonly guard: GuardedStream;
  private readonly clock: WriterClock;
  private readonly intervalMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly maxFinalAttempts: number;
  private timer: unknown;
  private inFlight: Promise<void> | undefined;
  private lastFlushEnd = Number.NEGATIVE_INFINITY;
  private failuresInRow = 0;
  private finishing: Promise<void> | undefined;

  constructor(client: WebClient, options: StreamWriterOptions) {
    this.chat = new CountedChatCalls(client);
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.minEditIntervalMs ?? 1_000;
    this.onError = options.onError ?? (() => undefined);
    this.maxFinalAttempts = options.maxFinalAttempts ?? 3;
    this.guard = new GuardedStream(options.mentions ?? NO_MENTIONS);
    const target = { channel: options.channel, threadTs: options.threadTs };
    const edit = (): EditDelivery => new EditDelivery(this.chat, target);
    this.delivery =
      options.mode === 'stream'
        ? new StreamDelivery(this.chat, { ...target, recipient: options.recipient }, edit)
        : edit();
  }

  /** Chat API calls made so far (the benchmark's measure). */
  get apiCalls(): number {
    return this.chat.stats.apiCalls;
  }

  /** Calls per method and failures. */
  get stats(): Readonly<ChatCallStats> {
    return this.chat.stats;
  }

  /** The answer's messages so far, in thread order. */
  get messageTs(): readonly string[] {
    return this.delivery.messageTs;
  }

  /**
   * Adds text to the answer. Resolves once the first text is visible (the first call), at once
   * otherwise: later text is sent on the writer's own schedule.
   */
  async append(delta: string): Promise<void> {
    if (this.finishing) throw new Error('StreamWriter: append after finish');
    const text = this.guard.push(delta);
    if (text === '') return;
    this.delivery.add(text);
    const idle = this.inFlight === undefined && this.timer === undefined;
    if (idle && this.delivery.messageTs.length === 0 && this.failuresInRow === 0) {
      await this.flush(false);
      return;
    }
    this.schedule();
  }

  /**
   * Sends whatever is left now and ends the answer (stops the stream). Retries a failing final
   * flush a few times, then rejects with the last error. Calling it again returns the same promise.
   */
  finish(): Promise<void> {
    this.finishing ??= this.finishNow();
    return this.finishing;
  }

  private async finishNow(): Promise<void> {
    const rest = this.guard.end();
    if (rest !== '') this.delivery.add(rest);
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight) await this.inFlight;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.flush(true);
        return;
      } catch (err) {
        if (attempt >= this.maxFinalAttempts) throw err;
        await this.sleep(this.intervalMs * attempt);
      }
    }
  }

  /** Plans the next flush one interval after the last one ended (longer after failures). */
  private schedule(): void {
    if (this.timer !== undefined || this.inFlight !== undefined || this.finishing) return;
    const backoff = Math.min(2 ** this.failuresInRow, MAX_BACKOFF_INTERVALS);
    const wait = Math.max(0, this.lastFlushEnd + this.intervalMs * backoff - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush(false).catch(() => undefined); // reported through onError already
    }, wait);
  }

  /** One flush, never overlapping another; non-final failures are reported and retried later. */
  private flush(final: boolean): Promise<void> {
    const run = (async () => {
      try {
        await this.delivery.flush(final);
        this.failuresInRow = 0;
      } catch (err) {
        this.failuresInRow += 1;
        this.onError(err);
        if (final) throw err;
      } finally {
        this.lastFlushEnd = this.clock.now();
        this.inFlight = undefined;
      }
      if (!final && this.delivery.pending) this.schedule();
    })();
    this.inFlight = run.catch(() => undefined);
    return run;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }
}
