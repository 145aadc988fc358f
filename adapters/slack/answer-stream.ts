import type { WebClient } from '@slack/web-api';

/** Slack's limit on one append's markdown (12,000), with room to spare. */
const MAX_APPEND_CHARS = 10_000;

/**
 * A streamed answer delivered with Slack's streaming messages (chat.startStream / appendStream /
 * stopStream), appends batched to at most one per interval. Slack ends a stream after about five
 * minutes: an append then fails with `message_not_in_streaming_state`, and the text not yet
 * delivered continues in a new stream. Text leaves `pending` only once Slack accepted it, so
 * nothing is lost and nothing is sent twice.
 */
export class AnswerStream {
  private pending = '';
  private ts: string | undefined;
  private lastSentAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** API calls made, for the benchmark. */
  apiCalls = 0;

  constructor(
    private readonly client: WebClient,
    private readonly channel: string,
    private readonly threadTs: string,
    /** Required by Slack outside DMs: who the stream is for. */
    private readonly recipient: { teamId?: string | undefined; userId?: string | undefined },
    private readonly minIntervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  append(delta: string): Promise<void> {
    this.pending += delta;
    if (this.ts === undefined && this.lastSentAt === 0) return this.enqueue(() => this.deliver());
    if (!this.timer) {
      const wait = Math.max(0, this.lastSentAt + this.minIntervalMs - Date.now());
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.enqueue(() => this.deliver());
      }, wait);
    }
    return Promise.resolve();
  }

  async finish(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.enqueue(async () => {
      await this.deliver();
      if (this.ts === undefined) return;
      this.apiCalls++;
      await this.client.chat.stopStream({ channel: this.channel, ts: this.ts }).catch((err: unknown) => {
        if (!isExpired(err)) throw err;
      });
      this.ts = undefined;
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch(this.onError);
    return this.chain;
  }

  private async deliver(): Promise<void> {
    while (this.pending.length > 0) {
      const text = this.pending.slice(0, MAX_APPEND_CHARS);
      this.lastSentAt = Date.now();
      try {
        await this.send(text);
      } catch (err) {
        if (!isExpired(err) || this.ts === undefined) throw err;
        this.ts = undefined; // expired: the same text opens a new stream on the next pass
        continue;
      }
      this.pending = this.pending.slice(text.length);
    }
  }

  private async send(text: string): Promise<void> {
    this.apiCalls++;
    if (this.ts !== undefined) {
      await this.client.chat.appendStream({ channel: this.channel, ts: this.ts, markdown_text: text });
      return;
    }
    const started = await this.client.chat.startStream({
      channel: this.channel,
      thread_ts: this.threadTs,
      markdown_text: text,
      ...(this.recipient.teamId ? { recipient_team_id: this.recipient.teamId } : {}),
      ...(this.recipient.userId ? { recipient_user_id: this.recipient.userId } : {}),
    });
    this.ts = started.ts;
  }
}

function isExpired(err: unknown): boolean {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return data?.error === 'message_not_in_streaming_state';
}
