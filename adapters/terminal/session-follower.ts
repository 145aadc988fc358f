import type { EventReader, StoredEvent } from '../../src/core/agent-gateway.js';

/** How long one read waits for new events; also the most a stop waits for Redis to let go. */
export const DEFAULT_BLOCK_MS = 1_000;

export interface SessionFollowerOptions {
  /** Stream id to continue after; `0` (the default) reads the session from its first event. */
  after?: string;
  blockMs?: number;
}

/**
 * Follows one session's event stream in order, from a cursor. When the session is replaced (`new`
 * emits `shutdown { replacedBy }`), operations go to the new session at once (`sessionId`), the
 * follower still yields the old stream up to the `operation_complete` that ends the replacing
 * operation, then moves to the new session's stream from its start: a client sees one continuous
 * conversation and the end of every operation it submitted. Iterate it once; `stop()` ends the
 * iteration at once, even while a read is blocked.
 */
export class SessionFollower implements AsyncIterable<StoredEvent> {
  /** The session that takes operations. */
  private current: string;
  /** The session whose stream is read: the replaced one until its last operation completes. */
  private reading: string;
  private cursorId: string;
  private readonly blockMs: number;
  private halted = false;
  private wake: () => void = () => undefined;
  private readonly stopped: Promise<undefined>;

  constructor(
    private readonly reader: EventReader,
    sessionId: string,
    options: SessionFollowerOptions = {},
  ) {
    this.current = sessionId;
    this.reading = sessionId;
    this.cursorId = options.after ?? '0';
    this.blockMs = options.blockMs ?? DEFAULT_BLOCK_MS;
    this.stopped = new Promise((resolve) => {
      this.wake = () => resolve(undefined);
    });
  }

  /** The session being followed now (changes when a `shutdown` names its replacement). */
  get sessionId(): string {
    return this.current;
  }

  /** Stream id of the last event yielded in the stream being read. */
  get cursor(): string {
    return this.cursorId;
  }

  get isStopped(): boolean {
    return this.halted;
  }

  /** Ends the iteration; a pending `next()` resolves as done. The reader stays open (the caller owns it). */
  stop(): void {
    this.halted = true;
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    while (!this.halted) {
      const batch = await this.readOnce();
      if (batch === undefined) return;
      for (const stored of batch) {
        if (this.halted) return;
        const { event } = stored;
        this.cursorId = stored.streamId;
        // Switch before yielding so that `sessionId` already names the session that takes operations.
        if (event.type === 'shutdown' && event.replacedBy) this.current = event.replacedBy;
        yield stored;
        if (this.reading !== this.current && event.type === 'operation_complete') {
          // Later events of the ended session are not for this client.
          this.reading = this.current;
          this.cursorId = '0';
          break;
        }
      }
    }
  }

  private async readOnce(): Promise<StoredEvent[] | undefined> {
    const read = this.reader.read(this.reading, this.cursorId, this.blockMs);
    const result = await Promise.race([read, this.stopped]);
    if (result === undefined) {
      // Stopped mid-read: the read may still settle (or fail when the caller closes the reader).
      read.catch(() => undefined);
    }
    return result;
  }
}
