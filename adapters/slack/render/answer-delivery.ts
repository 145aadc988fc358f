/**
 * How an answer's text reaches Slack, behind one seam: post-then-edit or Slack's streaming
 * messages. The writer decides *when* to send (coalescing, retries); a delivery decides *what* each
 * call carries, and keeps count of what Slack already has so that no text is lost or sent twice.
 */
export interface AnswerDelivery {
  /** Takes more Markdown; nothing is sent until `flush`. Safe to call while a flush is running. */
  add(text: string): void;
  /**
   * Sends what Slack does not have yet; `final` when the answer is complete (a stream is stopped).
   * On failure it throws, leaving a state from which the next flush goes on: text Slack refused is
   * sent again, text that may have arrived (an uncertain failure) is not.
   */
  flush(final: boolean): Promise<void>;
  /** True while some added text has not been sent. */
  readonly pending: boolean;
  /** The messages made so far, in order (the open one last). */
  readonly messageTs: readonly string[];
}

/** The thread an answer goes to. */
export interface ThreadTarget {
  channel: string;
  threadTs: string;
}
