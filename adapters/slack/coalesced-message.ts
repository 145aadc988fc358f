import type { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';

export interface MessageContent {
  text: string;
  blocks?: KnownBlock[];
}

/**
 * A thread message that is edited in place as its content changes (tool lines, the plan, the
 * status line): posted at once, then edits coalesced to at most one per `minIntervalMs`, the last
 * content always delivered. Edits never re-post: a failed edit is logged and the next one retries.
 */
export class CoalescedMessage {
  ts: string | undefined;
  private latest: MessageContent | undefined;
  private lastSentAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: WebClient,
    private readonly channel: string,
    private readonly threadTs: string,
    private readonly minIntervalMs: number,
    private readonly onError: (err: unknown) => void,
    existingTs?: string,
  ) {
    this.ts = existingTs;
  }

  /** Shows `content`: the first call posts, later calls schedule an edit. Resolves once posted. */
  async show(content: MessageContent): Promise<void> {
    this.latest = content;
    if (this.ts === undefined) {
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
    if (!content) return;
    this.lastSentAt = Date.now();
    if (this.ts === undefined) {
      const posted = await this.client.chat.postMessage({
        channel: this.channel,
        thread_ts: this.threadTs,
        ...content,
      });
      this.ts = posted.ts;
    } else {
      await this.client.chat.update({ channel: this.channel, ts: this.ts, ...content });
    }
  }
}
