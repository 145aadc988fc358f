import { couldBecomeToken, MAX_TOKEN_CHARS, slackTokenPattern } from './slack-tokens.js';

/**
 * Who text from the model (answers, tool lines, plans, errors) may notify. The model echoes what it
 * read — a web page, a dataset card, a user's paste — and Slack turns `<!channel>` or two hundred
 * `<@U…>` into real notifications. The bot's own messages (status lines, the approval card's ping
 * of the owner) are not guarded: only text whose words came from the model or a tool.
 */
export interface MentionPolicy {
  /** Users who may be mentioned: the thread's participants (owner, writers, clickers). */
  allowedUsers: ReadonlySet<string>;
  /** At most this many mentions render per guarded text (an answer, a tool-lines message). */
  maxMentions: number;
}

/** A handful: enough to name who asked and who approved, too few to page a team. */
export const MAX_MODEL_MENTIONS = 5;

/** No user mentions at all; broadcasts neutralised (the default where no thread is known). */
export const NO_MENTIONS: MentionPolicy = { allowedUsers: new Set(), maxMentions: 0 };

/** Joins `@` and the word after it invisibly, so Slack shows `@channel` but never reads it as one. */
const JOIN = '\u200D';

/** Plain-text broadcasts some Slack surfaces still expand (`link_names`, Markdown). */
const PLAIN_BROADCAST = /(?<![\w@.+-])@(channel|here|everyone)(?![\w-])/gi;

/**
 * Guards model text for one message or answer: broadcasts (`<!channel>`, `<!here>`,
 * `<!everyone>`, `<!subteam^…>`, and any other `<!…>` but dates) and plain `@channel` / `@here` /
 * `@everyone` become plain text; a user mention renders only for an allowed user, and only the
 * first `maxMentions` of them; every other mention becomes `@name` without a ping.
 *
 * The count runs over every call of one guard, so an answer delivered in pieces (or streamed) gets
 * at most `maxMentions` in all. Use {@link GuardedStream} when the text arrives in pieces.
 */
export class MentionGuard {
  private mentions = 0;

  constructor(private readonly policy: MentionPolicy = NO_MENTIONS) {}

  /**
   * The guarded text. `before` is the character that precedes `text` (when it continues a text
   * already guarded), so that `@here` right after a word is judged as in the whole text.
   */
  guard(text: string, before = ''): string {
    const tokensDone = text.replace(slackTokenPattern(), (token) => this.token(token));
    return (before + tokensDone).replace(PLAIN_BROADCAST, `@${JOIN}$1`).slice(before.length);
  }

  private token(token: string): string {
    const body = token.slice(1, -1);
    const [head = '', ...rest] = body.split('|');
    const label = rest.length > 0 ? rest.join('|') : undefined;
    if (head.startsWith('!')) {
      if (head.startsWith('!date^')) return token;
      return plain(label ?? specialName(head));
    }
    if (head.startsWith('@')) {
      const user = head.slice(1);
      if (this.policy.allowedUsers.has(user) && this.mentions < this.policy.maxMentions) {
        this.mentions += 1;
        return `<@${user}>`;
      }
      return plain(label ?? user);
    }
    return token; // channel links and web links notify nobody
  }
}

/** `<!subteam^S123>` → `subteam`, `<!here>` → `here`. */
function specialName(head: string): string {
  return head.slice(1).split('^')[0] || 'mention';
}

function plain(name: string): string {
  return `@${JOIN}${name.replace(/^@+/, '')}`;
}

/**
 * A {@link MentionGuard} for text that arrives in pieces (a streamed answer): a piece that ends
 * inside what may still become a token (`<@U12`, `<!chan`, `@ever`) is held back until the rest
 * arrives, so a token is never guarded — or shown — in halves.
 */
export class GuardedStream {
  private held = '';
  private last = '';
  private readonly guard: MentionGuard;

  constructor(policy: MentionPolicy = NO_MENTIONS) {
    this.guard = new MentionGuard(policy);
  }

  /** The guarded text that is complete so far ('' while everything new is held back). */
  push(text: string): string {
    const all = this.held + text;
    const keep = heldBackFrom(all);
    this.held = all.slice(keep);
    return this.emit(all.slice(0, keep));
  }

  /** Whatever is still held back, guarded as it is (the text is complete). */
  end(): string {
    const rest = this.held;
    this.held = '';
    return this.emit(rest);
  }

  private emit(text: string): string {
    if (text === '') return '';
    const out = this.guard.guard(text, this.last);
    this.last = text.slice(-1);
    return out;
  }
}

/** Where the held-back tail of `text` starts (`text.length` when nothing needs to wait). */
function heldBackFrom(text: string): number {
  // The earliest `<` not yet closed that may still become a token (`<!here<x` is read to its `>`).
  const from = Math.max(text.lastIndexOf('>') + 1, text.length - MAX_TOKEN_CHARS);
  for (let open = text.indexOf('<', from); open !== -1; open = text.indexOf('<', open + 1))
    if (couldBecomeToken(text.slice(open))) return open;
  const at = /(?<![\w@.+-])@[A-Za-z]{0,8}$/.exec(text);
  return at === null ? text.length : at.index;
}
