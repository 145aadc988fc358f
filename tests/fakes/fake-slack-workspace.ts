import type { SlackIdentity } from './fake-slack-ids.js';
import { nextTs } from './fake-slack-ids.js';

/** A chunk of a streamed message (`markdown_text`, `task_update`, `plan_update`, `blocks`). */
export interface FakeChunk {
  type: string;
  [key: string]: unknown;
}

/**
 * The streaming state of a message made by `chat.startStream`. `expired` is what Slack does to a
 * stream about five minutes after it started: the message stays, appends and stops are refused.
 */
export interface FakeStream {
  state: 'in_progress' | 'completed' | 'expired';
  startedAt: number;
  /** `chat.appendStream` calls that were accepted. */
  appends: number;
  /** Every chunk received, in order, `markdown_text` included. */
  chunks: FakeChunk[];
  recipientUserId?: string;
  recipientTeamId?: string;
}

export interface FakeReaction {
  name: string;
  users: string[];
}

/** A version of a message before an edit replaced it. */
export interface FakeMessageVersion {
  text: string;
  blocks?: unknown[];
  at: number;
}

/** A file the workspace holds: attached by a test or uploaded by the app. */
export interface FakeFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  bytes: Buffer;
  user: string;
  created: number;
  /** Where a client downloads it (with the bot token as Bearer, as Slack requires). */
  urlPrivate: string;
  urlPrivateDownload: string;
  /** False until the bytes arrived at the upload URL. */
  uploaded: boolean;
  channels: string[];
}

/** One message of the workspace model. */
export interface FakeMessage {
  channel: string;
  ts: string;
  /** The parent's ts for a thread reply; undefined for a top-level message. */
  threadTs?: string;
  /** The author: the bot user id for the app's messages. */
  user: string;
  botId?: string;
  appId?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  files?: FakeFile[];
  replyBroadcast?: boolean;
  reactions: FakeReaction[];
  /** How many times `chat.update` (or a `response_url` replace) edited it. */
  editCount: number;
  /** Earlier versions, oldest first. */
  history: FakeMessageVersion[];
  deleted: boolean;
  stream?: FakeStream;
  postedAt: number;
  /** When the last edit happened (`Date.now()`), and the `edited.ts` Slack reports for it. */
  editedAt?: number;
  editedTs?: string;
}

/** What a new message needs; the rest starts empty. */
export type NewMessage = Pick<FakeMessage, 'channel' | 'user' | 'text'> &
  Partial<Omit<FakeMessage, 'channel' | 'user' | 'text' | 'reactions' | 'editCount' | 'history'>>;

/** An ephemeral message: never in history, visible to one user only. */
export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  messageTs: string;
  at: number;
}

/** One `assistant.threads.setStatus` call. */
export interface FakeStatus {
  channel: string;
  threadTs: string;
  status: string;
  loadingMessages?: unknown;
  at: number;
}

/** A view opened, pushed or published by the app, with its current definition. */
export interface FakeView {
  id: string;
  view: Record<string, unknown>;
  hash: string;
  triggerId?: string;
  externalId?: string;
  userId?: string;
  updates: number;
}

/** A POST the app made to a `response_url` the fake handed out. */
export interface FakeResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/** A workspace user `users.info` knows. */
export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  isBot?: boolean;
  tz?: string;
}

/**
 * The state of the fake workspace: messages by channel and ts, threads, reactions, streams,
 * ephemerals, assistant statuses, views, files and users. The Web API handlers change it; tests
 * read it.
 */
export class FakeWorkspace {
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly statuses: FakeStatus[] = [];
  readonly views = new Map<string, FakeView>();
  readonly files = new Map<string, FakeFile>();
  readonly users = new Map<string, FakeUser>();
  readonly responses: FakeResponse[] = [];
  private readonly byKey = new Map<string, FakeMessage>();
  /** Each thread's parent and replies, so reading a thread does not scan the whole workspace. */
  private readonly byThread = new Map<string, FakeMessage[]>();

  constructor(readonly identity: SlackIdentity) {}

  /** Adds a message; its ts comes from the shared clock unless given. */
  add(input: NewMessage): FakeMessage {
    const message: FakeMessage = {
      ...input,
      ts: input.ts ?? nextTs(),
      reactions: [],
      editCount: 0,
      history: [],
      deleted: input.deleted ?? false,
      postedAt: input.postedAt ?? Date.now(),
    };
    // Slack threads on the parent: a reply to a reply lands in the parent's thread.
    if (message.threadTs !== undefined) {
      const parent = this.get(message.channel, message.threadTs);
      if (parent?.threadTs !== undefined) message.threadTs = parent.threadTs;
      if (message.threadTs === message.ts) delete message.threadTs;
    }
    this.messages.push(message);
    this.byKey.set(`${message.channel}/${message.ts}`, message);
    const threadKey = `${message.channel}/${message.threadTs ?? message.ts}`;
    const thread = this.byThread.get(threadKey);
    if (thread) thread.push(message);
    else this.byThread.set(threadKey, [message]);
    // Slack clears an assistant thread's status when the app replies in it (a stream included).
    const { channel, threadTs } = message;
    if (message.botId !== undefined && threadTs !== undefined && this.statusOf(channel, threadTs) !== '')
      this.statuses.push({ channel, threadTs, status: '', at: Date.now() });
    return message;
  }

  /** The message at channel + ts (deleted ones included). */
  get(channel: string, ts: string): FakeMessage | undefined {
    return this.byKey.get(`${channel}/${ts}`);
  }

  /**
   * Records the user's message an `event_callback` body carries (`app_mention`, `message`,
   * `file_share`), as Slack holds it before telling the app. A mention and its twin `message`
   * event are one message.
   */
  recordUserEvent(body: unknown): void {
    const event = (body as { event?: Record<string, unknown> } | null)?.event;
    if (event === undefined || (event.type !== 'app_mention' && event.type !== 'message')) return;
    if (event.subtype !== undefined && event.subtype !== 'file_share') return;
    const { channel, user, text, ts, thread_ts: threadTs } = event;
    if (typeof channel !== 'string' || typeof ts !== 'string' || typeof user !== 'string') return;
    if (this.get(channel, ts) !== undefined) return;
    const files = (Array.isArray(event.files) ? event.files : []).flatMap((f) => {
      const stored = this.files.get((f as { id?: unknown }).id as string);
      return stored === undefined ? [] : [stored];
    });
    this.add({
      channel,
      user,
      text: typeof text === 'string' ? text : '',
      ts,
      threadTs: typeof threadTs === 'string' ? threadTs : undefined,
      files: files.length > 0 ? files : undefined,
    });
  }

  /** The parent and its replies, oldest first, without deleted messages. */
  thread(channel: string, threadTs: string): FakeMessage[] {
    return (this.byThread.get(`${channel}/${threadTs}`) ?? [])
      .filter((m) => !m.deleted)
      .sort((a, b) => compareTs(a.ts, b.ts));
  }

  /** The current assistant status of a thread (`''` once cleared or never set). */
  statusOf(channel: string, threadTs: string): string {
    const last = this.statuses.findLast((s) => s.channel === channel && s.threadTs === threadTs);
    return last?.status ?? '';
  }

  /** The user `users.info` returns: a registered one, else one made up for any `U`/`W` id. */
  user(id: string): FakeUser | undefined {
    const known = this.users.get(id);
    if (known !== undefined) return known;
    if (id === this.identity.botUserId) return { id, name: this.identity.botName, isBot: true };
    return /^[UW][A-Z0-9]+$/.test(id) ? { id, name: `user-${id.toLowerCase()}` } : undefined;
  }

  /** A message as the Web API returns it (`conversations.replies`, `chat.postMessage`). */
  toSlack(m: FakeMessage): Record<string, unknown> {
    const out: Record<string, unknown> = {
      type: 'message',
      user: m.user,
      text: m.text,
      ts: m.ts,
      team: this.identity.teamId,
    };
    if (m.botId !== undefined) {
      out.bot_id = m.botId;
      out.app_id = m.appId;
      out.bot_profile = {
        id: m.botId,
        app_id: m.appId,
        name: this.identity.botName,
        deleted: false,
        team_id: this.identity.teamId,
      };
    }
    if (m.blocks !== undefined) out.blocks = m.blocks;
    if (m.attachments !== undefined) out.attachments = m.attachments;
    if (m.metadata !== undefined) out.metadata = m.metadata;
    if (m.files !== undefined) out.files = m.files.map((f) => this.fileToSlack(f));
    if (m.files !== undefined && m.botId === undefined) out.subtype = 'file_share';
    if (m.threadTs !== undefined) {
      out.thread_ts = m.threadTs;
      const parent = this.get(m.channel, m.threadTs);
      if (parent !== undefined) out.parent_user_id = parent.user;
    } else {
      const replies = this.thread(m.channel, m.ts).filter((r) => r.ts !== m.ts);
      const latest = replies.at(-1);
      if (latest !== undefined) {
        out.thread_ts = m.ts;
        out.reply_count = replies.length;
        out.reply_users = [...new Set(replies.map((r) => r.user))];
        out.reply_users_count = (out.reply_users as string[]).length;
        out.latest_reply = latest.ts;
      }
    }
    if (m.editedTs !== undefined) out.edited = { user: m.user, ts: m.editedTs };
    if (m.reactions.length > 0)
      out.reactions = m.reactions.map((r) => ({ name: r.name, users: r.users, count: r.users.length }));
    if (m.stream !== undefined)
      out.streaming_state = m.stream.state === 'in_progress' ? 'in_progress' : 'completed';
    return out;
  }

  /** A file object as events and `files.completeUploadExternal` carry it. */
  fileToSlack(f: FakeFile): Record<string, unknown> {
    const extension = /\.([a-z0-9]+)$/i.exec(f.name)?.[1]?.toLowerCase() ?? 'text';
    return {
      id: f.id,
      created: f.created,
      timestamp: f.created,
      name: f.name,
      title: f.title,
      mimetype: f.mimetype,
      filetype: extension,
      pretty_type: extension.toUpperCase(),
      user: f.user,
      user_team: this.identity.teamId,
      editable: false,
      size: f.bytes.length,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: true,
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: f.urlPrivate,
      url_private_download: f.urlPrivateDownload,
      permalink: `https://${this.identity.teamDomain}.slack.com/files/${f.user}/${f.id}/${f.name}`,
      channels: f.channels,
    };
  }
}

/** Orders Slack timestamps numerically (seconds, then microseconds). */
export function compareTs(a: string, b: string): number {
  const [as = '0', am = '0'] = a.split('.');
  const [bs = '0', bm = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(am.padEnd(6, '0')) - Number(bm.padEnd(6, '0'));
}
