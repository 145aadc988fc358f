import type { AnswerDelivery, ThreadTarget } from './answer-delivery.js';
import type { CountedChatCalls } from './chat-calls.js';
import { failureKind } from './call-failures.js';
import { MrkdwnConverter } from './mrkdwn-converter.js';
import { reopenAfter, SLACK_LIMITS } from './mrkdwn.js';

/** A post whose outcome is unknown: its message may exist, so its text must not be posted again. */
class UncertainPost extends Error {
  constructor(readonly original: unknown) {
    super('chat.postMessage outcome unknown');
  }
}

/**
 * Post-then-edit: the answer's first text is posted (mrkdwn), later text edits that message with
 * its whole text so far. When the text outgrows one message (40,000 characters of mrkdwn), the
 * message gets its final part — cut at a paragraph or line, a code fence closed — and the answer
 * goes on in a new message. Edits carry the whole text, so a failed edit is simply sent again.
 */
export class EditDelivery implements AnswerDelivery {
  /** Markdown of the open message: a reopened code fence first, when the previous one ended in one. */
  private source = '';
  /** Leading characters of `source` that only reopen a fence: not worth a message on their own. */
  private prefixChars = 0;
  private ts: string | undefined;
  /** The mrkdwn Slack has for the open message. */
  private shown = '';
  private added = 0;
  private sentUpTo = 0;
  readonly messageTs: string[] = [];
  private readonly converter = new MrkdwnConverter();

  constructor(
    private readonly chat: CountedChatCalls,
    private readonly target: ThreadTarget,
    private readonly limit: number = SLACK_LIMITS.messageText,
  ) {}

  get pending(): boolean {
    return this.sentUpTo !== this.added;
  }

  add(text: string): void {
    if (text === '') return;
    this.source += text;
    this.added += 1;
  }

  async flush(_final: boolean): Promise<void> {
    const version = this.added;
    for (;;) {
      // `source` only grows while a call is out, so positions computed before it stay valid.
      const cut = this.converter.cut(this.source, this.limit);
      const end = cut?.at ?? this.source.length;
      try {
        await this.show(cut ? this.source.slice(0, cut.at) + cut.close : this.source);
      } catch (err) {
        if (!(err instanceof UncertainPost)) throw err;
        // The message may be there: its text counts as delivered, the rest goes on in a new one.
        this.startNext(end, cut ? cut.reopen : reopenAfter(this.source.slice(0, end)));
        throw err.original;
      }
      if (cut === undefined) break;
      this.startNext(cut.at, cut.reopen);
    }
    this.sentUpTo = version;
  }

  /** The open message is complete up to `at`; the text after it starts the next message. */
  private startNext(at: number, reopen: string): void {
    this.source = reopen + this.source.slice(at);
    this.prefixChars = reopen.length;
    this.ts = undefined;
    this.shown = '';
  }

  private async show(source: string): Promise<void> {
    if (source.slice(this.prefixChars).trim() === '') return;
    const text = this.converter.convert(source);
    if (text === '' || text === this.shown) return;
    const { channel, threadTs } = this.target;
    if (this.ts !== undefined) {
      await this.chat.update({ channel, ts: this.ts, text });
      this.shown = text;
      return;
    }
    let ts: string | undefined;
    try {
      ts = (await this.chat.postMessage({ channel, thread_ts: threadTs, text })).ts;
    } catch (err) {
      throw failureKind(err) === 'uncertain' ? new UncertainPost(err) : err;
    }
    if (ts === undefined) throw new UncertainPost(new Error('chat.postMessage answered without a ts'));
    this.ts = ts;
    this.shown = text;
    this.messageTs.push(ts);
  }
}
