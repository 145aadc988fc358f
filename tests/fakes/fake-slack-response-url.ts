import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from './fake-slack-http.js';
import { nextTs } from './fake-slack-ids.js';
import type { FakeWorkspace } from './fake-slack-workspace.js';

/** The message a `response_url` belongs to (the one whose button was clicked). */
export interface ResponseTarget {
  channel: string;
  ts: string;
  /** The user who clicked, who sees ephemeral responses. */
  user?: string;
}

/**
 * `response_url`s handed out by the fake. A POST to one (Bolt's `respond()`) is recorded and acts
 * on the workspace as Slack's does: `replace_original` edits the target message,
 * `delete_original` deletes it, `response_type: 'in_channel'` posts a new message, anything else
 * is an ephemeral message for the user.
 */
export class ResponseUrls {
  private readonly targets = new Map<string, ResponseTarget | undefined>();

  constructor(
    private readonly workspace: FakeWorkspace,
    private readonly baseUrl: string,
  ) {}

  create(target?: ResponseTarget): string {
    const id = randomUUID();
    this.targets.set(id, target);
    return `${this.baseUrl}/response/${id}`;
  }

  handle(res: ServerResponse, id: string, raw: Buffer): void {
    if (!this.targets.has(id)) {
      sendJson(res, 404, { ok: false, error: 'expired_url' });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      sendJson(res, 400, { ok: false, error: 'invalid_payload' });
      return;
    }
    this.workspace.responses.push({ id, body, at: Date.now() });
    this.apply(this.targets.get(id), body);
    sendJson(res, 200, { ok: true });
  }

  private apply(target: ResponseTarget | undefined, body: Record<string, unknown>): void {
    const { workspace } = this;
    const { identity } = workspace;
    const original = target === undefined ? undefined : workspace.get(target.channel, target.ts);
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? (body.blocks as unknown[]) : undefined;
    if (original !== undefined && body.delete_original === true) {
      original.deleted = true;
      return;
    }
    if (original !== undefined && body.replace_original === true) {
      original.history.push({
        text: original.text,
        blocks: original.blocks,
        at: original.editedAt ?? original.postedAt,
      });
      original.text = text;
      original.blocks = blocks;
      original.editCount += 1;
      original.editedAt = Date.now();
      original.editedTs = nextTs();
      return;
    }
    if (target === undefined) return;
    const threadTs =
      typeof body.thread_ts === 'string' ? body.thread_ts : (original?.threadTs ?? original?.ts);
    if (body.response_type === 'in_channel') {
      workspace.add({
        channel: target.channel,
        user: identity.botUserId,
        botId: identity.botId,
        appId: identity.appId,
        text,
        blocks,
        threadTs,
      });
      return;
    }
    workspace.ephemerals.push({
      channel: target.channel,
      user: target.user ?? '',
      text,
      blocks,
      threadTs,
      messageTs: nextTs(),
      at: Date.now(),
    });
  }
}
