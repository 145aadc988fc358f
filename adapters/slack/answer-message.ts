import type { WebClient } from '@slack/web-api';
import slackifyMarkdown from 'slackify-markdown';
import { CoalescedMessage } from './coalesced-message.js';

/** Text of one Slack message kept below Slack's 40,000-character limit (and readable). */
const MAX_MESSAGE_CHARS = 12_000;

/**
 * A streamed answer delivered by post-then-edit: the first text is posted, later text edits the
 * message at most once per interval, and an answer longer than one message continues in the next.
 * Markdown is converted to mrkdwn on every render, so an unclosed code fence mid-stream is fine.
 */
export class AnswerMessage {
  private text = '';
  private current: CoalescedMessage;
  private readonly done: CoalescedMessage[] = [];

  constructor(
    private readonly client: WebClient,
    private readonly channel: string,
    private readonly threadTs: string,
    private readonly minEditIntervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.current = this.newMessage();
  }

  async append(delta: string): Promise<void> {
    this.text += delta;
    while (this.text.length > MAX_MESSAGE_CHARS) {
      const cut = splitPoint(this.text, MAX_MESSAGE_CHARS);
      await this.current.show({ text: toMrkdwn(this.text.slice(0, cut)) });
      await this.current.flush();
      this.done.push(this.current);
      this.text = this.text.slice(cut);
      this.current = this.newMessage();
    }
    if (this.text.length > 0) await this.current.show({ text: toMrkdwn(this.text) });
  }

  async finish(): Promise<void> {
    await this.current.flush();
  }

  private newMessage(): CoalescedMessage {
    return new CoalescedMessage(
      this.client,
      this.channel,
      this.threadTs,
      this.minEditIntervalMs,
      this.onError,
    );
  }
}

/** A cut at a paragraph or line end near the limit, never in the first half. */
function splitPoint(text: string, limit: number): number {
  const paragraph = text.lastIndexOf('\n\n', limit);
  if (paragraph > limit / 2) return paragraph + 2;
  const line = text.lastIndexOf('\n', limit);
  return line > limit / 2 ? line + 1 : limit;
}

export function toMrkdwn(markdown: string): string {
  return slackifyMarkdown(markdown).trim() || markdown;
}
