import type {
  ChatAppendStreamArguments,
  ChatPostMessageArguments,
  ChatStartStreamArguments,
  ChatStopStreamArguments,
  ChatUpdateArguments,
  WebClient,
} from '@slack/web-api';

/**
 * The chat calls an answer writer makes, counted (the benchmark reports API calls per answer).
 * Counted are the calls this code makes; the WebClient's own retries of one call (429s, network
 * errors) are invisible here and count once.
 */

export interface ChatCallStats {
  /** Every call made, failed ones included. */
  apiCalls: number;
  /** Calls per Web API method (`chat.update`: 4). */
  byMethod: Record<string, number>;
  /** Calls that ended in an error (after the WebClient's retries). */
  failures: number;
}

export class CountedChatCalls {
  readonly stats: ChatCallStats = { apiCalls: 0, byMethod: {}, failures: 0 };

  constructor(private readonly client: WebClient) {}

  postMessage(args: ChatPostMessageArguments) {
    return this.count('chat.postMessage', () => this.client.chat.postMessage(args));
  }

  update(args: ChatUpdateArguments) {
    return this.count('chat.update', () => this.client.chat.update(args));
  }

  startStream(args: ChatStartStreamArguments) {
    return this.count('chat.startStream', () => this.client.chat.startStream(args));
  }

  appendStream(args: ChatAppendStreamArguments) {
    return this.count('chat.appendStream', () => this.client.chat.appendStream(args));
  }

  stopStream(args: ChatStopStreamArguments) {
    return this.count('chat.stopStream', () => this.client.chat.stopStream(args));
  }

  private async count<T>(method: string, call: () => Promise<T>): Promise<T> {
    this.stats.apiCalls += 1;
    this.stats.byMethod[method] = (this.stats.byMethod[method] ?? 0) + 1;
    try {
      return await call();
    } catch (err) {
      this.stats.failures += 1;
      throw err;
    }
  }
}
