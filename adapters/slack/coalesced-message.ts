import type { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import { CoalescedEdits } from '../shared/coalesced-edits.js';

export interface MessageContent {
  text: string;
  blocks?: KnownBlock[];
}

/** A Slack thread message edited in place, edits coalesced (see {@link CoalescedEdits}). */
export class CoalescedMessage extends CoalescedEdits<MessageContent> {
  constructor(
    client: WebClient,
    channel: string,
    threadTs: string,
    minIntervalMs: number,
    onError: (err: unknown) => void,
    existingTs?: string,
  ) {
    super(
      {
        post: async (content) =>
          (await client.chat.postMessage({ channel, thread_ts: threadTs, ...content })).ts,
        edit: async (ts, content) => {
          await client.chat.update({ channel, ts, ...content });
        },
      },
      minIntervalMs,
      onError,
      existingTs,
    );
  }

  /** The message's ts once posted. */
  get ts(): string | undefined {
    return this.id;
  }
}
