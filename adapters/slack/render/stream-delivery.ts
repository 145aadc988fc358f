import type { AnswerDelivery, ThreadTarget } from './answer-delivery.js';
import type { CountedChatCalls } from './chat-calls.js';
import { failureKind, NOT_STREAMING, platformError } from './call-failures.js';
import { findCut, reopenAfter, SLACK_LIMITS } from './mrkdwn.js';
import { cutOutsideTokens, slackLinksToMarkdown } from './slack-tokens.js';

/** Whom a stream outside a DM is for: Slack requires both ids there. */
export interface StreamRecipient {
  userId: string;
  teamId: string;
}

/**
 * Slack's streaming messages: `chat.startStream` with the first text, `chat.appendStream` with
 * each later batch, `chat.stopStream` at the end. Slack renders the Markdown itself, so text is
 * sent as it came, in pieces of at most 12,000 characters, never cut inside a `<…>` token; Slack
 * links (`<url|label>`, mrkdwn) become Markdown links there. Each added text must end outside a
 * token (the writer holds a partial one back).
 *
 * Slack ends a stream about five minutes after it started and then answers
 * `message_not_in_streaming_state`: the text of the refused call (and everything after it) goes on
 * in a new stream, after a reopened code fence when the old stream ended inside one. A stream that
 * would outgrow one message is stopped at a paragraph or line and continued the same way. When
 * Slack refuses to start a stream at all (streaming not available there), the rest of the answer is
 * delivered by post-then-edit instead.
 */
export class StreamDelivery implements AnswerDelivery {
  /** Markdown of the current stream: what Slack has (`sent` characters), then what it has not. */
  private source = '';
  private sent = 0;
  private ts: string | undefined;
  /** A fence to reopen before the next text, when a stream ended inside one with nothing after. */
  private carry = '';
  private fallback: AnswerDelivery | undefined;
  private added = 0;
  private sentUpTo = 0;
  private readonly streams: string[] = [];

  constructor(
    private readonly chat: CountedChatCalls,
    private readonly target: ThreadTarget & { recipient?: StreamRecipient },
    /** Builds the post-then-edit delivery used when Slack will not stream here. */
    private readonly makeFallback: () => AnswerDelivery,
    private readonly messageLimit: number = SLACK_LIMITS.messageText,
  ) {}

  get pending(): boolean {
    return this.fallback ? this.fallback.pending : this.sentUpTo !== this.added;
  }

  get messageTs(): readonly string[] {
    return this.fallback ? [...this.streams, ...this.fallback.messageTs] : this.streams;
  }

  add(text: string): void {
    if (text === '') return;
    this.added += 1;
    if (this.fallback) return this.fallback.add(text);
    this.source += this.carry + slackLinksToMarkdown(text);
    this.carry = '';
  }

  async flush(final: boolean): Promise<void> {
    if (this.fallback) return this.fallback.flush(final);
    const version = this.added;
    try {
      await this.deliver(final);
    } catch (err) {
      if (platformError(err) !== NOT_STREAMING) throw err;
      this.continueInNewStream();
      await this.deliver(final);
    }
    this.sentUpTo = version;
  }

  private async deliver(final: boolean): Promise<void> {
    // Stop the stream at a paragraph or line before it outgrows one message; the rest starts another.
    for (let cut = this.rolloverCut(); cut !== undefined; cut = this.rolloverCut()) {
      await this.send(cut.at, cut.close, true);
      if (this.fallback) return this.fallback.flush(final);
      this.source = cut.reopen + this.source.slice(cut.at);
      this.sent = 0;
    }
    await this.send(this.source.length, '', final);
    if (this.fallback) return this.fallback.flush(final);
  }

  private rolloverCut() {
    return findCut(this.source, this.messageLimit, this.sent);
  }

  /** The text the ended stream did not take starts the next stream. */
  private continueInNewStream(): void {
    const reopen = reopenAfter(this.source.slice(0, this.sent));
    const rest = this.source.slice(this.sent);
    this.source = rest === '' ? '' : reopen + rest;
    this.carry = rest === '' ? reopen : '';
    this.sent = 0;
    this.ts = undefined;
  }

  /** Sends `source` up to `end` (then `close`, when stopping); `stop` ends the stream. */
  private async send(end: number, close: string, stop: boolean): Promise<void> {
    if (this.ts === undefined) {
      // No stream yet: one starts with the first text that shows something.
      if (this.source.slice(this.sent, end).trim() === '') return;
      await this.start(this.pieceEnd(end));
      if (this.ts === undefined) return;
    }
    while (end - this.sent > SLACK_LIMITS.streamMarkdown) await this.append(this.pieceEnd(end));
    if (stop) await this.stop(end, close);
    else if (end > this.sent) await this.append(end);
  }

  /**
   * The end of the next piece from `sent`: at most 12,000 characters, never inside a token or
   * Markdown link, never half a surrogate pair.
   */
  private pieceEnd(end: number): number {
    const max = Math.min(end, this.sent + SLACK_LIMITS.streamMarkdown);
    let pieceEnd = max < end ? cutOutsideTokens(this.source, max, this.sent, max) : max;
    const code = this.source.charCodeAt(pieceEnd - 1);
    if (pieceEnd < end && code >= 0xd800 && code <= 0xdbff) pieceEnd -= 1;
    return pieceEnd;
  }

  private async start(end: number): Promise<void> {
    const { channel, threadTs, recipient } = this.target;
    // In a DM Slack knows the recipient; elsewhere it needs both ids.
    const to =
      recipient && !channel.startsWith('D')
        ? { recipient_user_id: recipient.userId, recipient_team_id: recipient.teamId }
        : {};
    const markdown = this.source.slice(this.sent, end);
    try {
      const { ts } = await this.chat.startStream({
        channel,
        thread_ts: threadTs,
        markdown_text: markdown,
        ...to,
      });
      if (ts === undefined) throw new Error('chat.startStream answered without a ts');
      this.ts = ts;
      this.sent = end;
      this.streams.push(ts);
    } catch (err) {
      if (failureKind(err) === 'uncertain') {
        // A stream with this text may exist, but without its ts it cannot go on: the rest starts another.
        this.sent = end;
        this.continueInNewStream();
        throw err;
      }
      // Slack will not stream here: everything not yet in a stream is posted and edited instead.
      this.fallback = this.makeFallback();
      this.fallback.add(this.source.slice(this.sent));
      this.source = '';
      this.sent = 0;
    }
  }

  private async append(end: number): Promise<void> {
    const ts = this.ts!;
    try {
      await this.chat.appendStream({
        channel: this.target.channel,
        ts,
        markdown_text: this.source.slice(this.sent, end),
      });
    } catch (err) {
      // An append that may have landed is not sent again; the next one follows it.
      if (failureKind(err) === 'uncertain') this.sent = end;
      throw err;
    }
    this.sent = end;
  }

  private async stop(end: number, close: string): Promise<void> {
    const markdown = this.source.slice(this.sent, end) + close;
    const ts = this.ts!;
    try {
      await this.chat.stopStream({
        channel: this.target.channel,
        ts,
        ...(markdown === '' ? {} : { markdown_text: markdown }),
      });
    } catch (err) {
      if (failureKind(err) !== 'uncertain') throw err;
      // The stream may have stopped with this text: it is not sent again.
      this.stopped(end);
      throw err;
    }
    this.stopped(end);
  }

  private stopped(end: number): void {
    this.sent = end;
    this.ts = undefined;
  }
}
