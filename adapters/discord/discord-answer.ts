import { CoalescedEdits, type EditableTarget } from '../shared/coalesced-edits.js';
import { splitText } from '../shared/text-split.js';
import { MAX_MESSAGE_CHARS } from './discord-context.js';
import type { DiscordContent } from './discord-views.js';

/**
 * A streamed answer on Discord: post-then-edit, edits coalesced per message, and split into
 * messages of at most 2,000 characters without breaking code fences. Earlier pieces stop changing
 * once the text has grown past them, so each message is edited only while it is the last one.
 */
export class DiscordAnswer {
  private text = '';
  private readonly messages: Array<CoalescedEdits<DiscordContent>> = [];

  constructor(
    private readonly target: EditableTarget<DiscordContent>,
    private readonly minEditIntervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  async append(delta: string): Promise<void> {
    this.text += delta;
    const pieces = splitText(this.text, MAX_MESSAGE_CHARS);
    for (const [i, piece] of pieces.entries()) {
      let message = this.messages[i];
      if (!message) {
        await this.messages[i - 1]?.flush(); // the previous piece is final: deliver it before the next
        message = new CoalescedEdits(this.target, this.minEditIntervalMs, this.onError);
        this.messages.push(message);
      }
      await message.show({ content: piece });
    }
  }

  async finish(): Promise<void> {
    for (const message of this.messages) await message.flush();
  }
}
