import type { ChatMessage } from '../core/messages.js';

/** One session's history as this process last read it. */
export interface CachedHistory {
  /** The generation it was read at (bumped by every rewrite: compaction, undo). */
  generation: string;
  messages: ChatMessage[];
  /** Characters of the stored JSON, what the entry costs in memory (roughly). */
  chars: number;
}

/** Default budget: about 64 MB of stored JSON across all sessions of one process. */
export const DEFAULT_HISTORY_CACHE_CHARS = 64 * 1024 * 1024;

/**
 * A per-process cache of parsed histories, least recently used first out, bounded by the size of
 * the JSON it stands for. It is only a cache: every read validates it against Redis (see
 * `HistoryStore.load`), so another worker's append or rewrite is never missed.
 */
export class HistoryCache {
  private readonly entries = new Map<string, CachedHistory>();
  private chars = 0;

  constructor(private readonly budgetChars: number = DEFAULT_HISTORY_CACHE_CHARS) {}

  get(sessionId: string): CachedHistory | undefined {
    const entry = this.entries.get(sessionId);
    if (entry) {
      // Most recently used last.
      this.entries.delete(sessionId);
      this.entries.set(sessionId, entry);
    }
    return entry;
  }

  set(sessionId: string, entry: CachedHistory): void {
    this.delete(sessionId);
    if (entry.chars > this.budgetChars) return;
    this.entries.set(sessionId, entry);
    this.chars += entry.chars;
    for (const [id, old] of this.entries) {
      if (this.chars <= this.budgetChars) break;
      this.entries.delete(id);
      this.chars -= old.chars;
    }
  }

  /** Adds messages read from the tail of the list to an entry already held. */
  extend(sessionId: string, entry: CachedHistory, messages: ChatMessage[], chars: number): void {
    this.delete(sessionId);
    entry.messages.push(...messages);
    entry.chars += chars;
    this.set(sessionId, entry);
  }

  delete(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.entries.delete(sessionId);
    this.chars -= entry.chars;
  }

  get size(): { sessions: number; chars: number } {
    return { sessions: this.entries.size, chars: this.chars };
  }
}
