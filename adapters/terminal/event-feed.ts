import type { StoredEvent } from '../../src/core/agent-gateway.js';

/**
 * The chat's one reader of its session's events. While the chat waits on an operation it hands
 * events to that wait, in order; while nobody waits (the user sits at the prompt), events that
 * arrive on their own (a job's status line, the report a finished job brings) go to `onIdle` at
 * once instead of waiting for the user's next message.
 */
export class EventFeed implements AsyncIterator<StoredEvent> {
  private readonly queue: StoredEvent[] = [];
  private waiter: ((result: IteratorResult<StoredEvent>) => void) | undefined;
  private done = false;
  /** Set while an operation is submitted or followed: its events must not be drawn as idle ones. */
  private held = 0;

  constructor(
    private readonly source: AsyncIterator<StoredEvent>,
    private readonly onIdle: (event: StoredEvent) => void,
  ) {
    void this.pump();
  }

  /** Keeps events for the caller until `release`: call before submitting an operation to follow. */
  hold(): void {
    this.held++;
  }

  release(): void {
    this.held = Math.max(0, this.held - 1);
    if (this.held === 0) for (const event of this.queue.splice(0)) this.onIdle(event);
  }

  next(): Promise<IteratorResult<StoredEvent>> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve({ value: queued, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        this.waiter?.({ value: undefined, done: true });
        this.waiter = undefined;
        return;
      }
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = undefined;
        waiter(next);
      } else if (this.held > 0) {
        this.queue.push(next.value);
      } else {
        this.onIdle(next.value);
      }
    }
  }
}
