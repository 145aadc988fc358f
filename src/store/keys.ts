/**
 * The Redis key layout (DESIGN.md, "State in Redis"). Every key of one session carries the hash tag
 * `{id}` so that multi-key writes of a session stay in one Redis Cluster slot.
 */
export interface SessionKeys {
  session: string;
  messages: string;
  /** Bumped by every rewrite of `messages` (compaction, undo), so a cached copy knows it is stale. */
  messagesGeneration: string;
  mailbox: string;
  pending: string;
  events: string;
  /** Renderer cursors: consumer name → last delivered stream id. */
  cursors: string;
  /** Tool calls started but not finished (crash journal). */
  journal: string;
  /** Set by `interrupt`; holds the time of the request. */
  cancel: string;
  /** Held by the worker draining the session. */
  lock: string;
  /** Per-session tool scratch state (plan todos, ...). */
  toolState: string;
}

export class KeySpace {
  constructor(readonly prefix: string) {}

  session(id: string): SessionKeys {
    const base = `${this.prefix}:session:{${id}}`;
    return {
      session: base,
      messages: `${base}:messages`,
      messagesGeneration: `${base}:messages:gen`,
      mailbox: `${base}:mailbox`,
      pending: `${base}:pending`,
      events: `${base}:events`,
      cursors: `${base}:cursors`,
      journal: `${base}:journal`,
      cancel: `${base}:cancel`,
      lock: `${base}:lock`,
      toolState: `${base}:tools`,
    };
  }

  thread(platform: string, channel: string, thread: string): string {
    return `${this.prefix}:thread:${platform}:${channel}:${thread}`;
  }

  dedupe(platform: string, eventId: string): string {
    return `${this.prefix}:dedupe:${platform}:${eventId}`;
  }

  /** Pub/sub channel announcing interrupts, one for all sessions (workers filter by session id). */
  get cancelChannel(): string {
    return `${this.prefix}:cancel`;
  }

  /** BullMQ prefix, hash-tagged so a queue's keys share one slot on Redis Cluster. */
  get queuePrefix(): string {
    return `{${this.prefix}:bull}`;
  }
}
