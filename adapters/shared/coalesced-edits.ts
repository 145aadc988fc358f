/** Posting a message and editing it, on one platform. */
export interface EditableTarget<Content> {
  post(content: Content): Promise<string | undefined>;
  edit(id: string, content: Content): Promise<void>;
}

/**
 * A chat message edited in place as its content changes (status lines, tool lines, the plan, a
 * streamed answer): posted at once, then edits coalesced to at most one per `minIntervalMs`, the
 * last content always delivered. A failed post or edit is reported and never re-posts text that
 * already went out; the next change retries.
 */
export class CoalescedEdits<Content> {
  id: string | undefined;
  private latest: Content | undefined;
  private lastSentAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly target: EditableTarget<Content>,
    private readonly minIntervalMs: number,
    private readonly onError: (err: unknown) => void,
    existingId?: string,
  ) {
    this.id = existingId;
  }

  /** Shows `content`: the first call posts (resolving once posted), later calls schedule an edit. */
  async show(content: Content): Promise<void> {
    this.latest = content;
    if (this.id === undefined) {
      await this.enqueue(() => this.send());
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.lastSentAt + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.enqueue(() => this.send());
    }, wait);
  }

  /** Delivers the latest content now (end of a turn). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.enqueue(() => this.send());
    }
    await this.chain;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch(this.onError);
    return this.chain;
  }

  private async send(): Promise<void> {
    const content = this.latest;
    if (content === undefined) return;
    this.lastSentAt = Date.now();
    if (this.id === undefined) this.id = await this.target.post(content);
    else await this.target.edit(this.id, content);
  }
}
