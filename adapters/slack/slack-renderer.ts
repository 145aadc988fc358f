import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AgentEvent } from '../../src/core/events.js';
import type { AgentGateway, StoredEvent } from '../../src/core/agent-gateway.js';
import { ApprovalCards } from '../shared/approval-decisions.js';
import { attachmentLabel, type AttachmentEvent } from '../shared/attachment-file.js';
import { shareAttachment } from './render/share-attachment.js';
import { CoalescedMessage } from './coalesced-message.js';
import { PLATFORM } from './slack-context.js';
import {
  answerMessages,
  cardBlocks,
  noticeContent,
  planContent,
  statusContent,
  toolLinesContent,
} from './card-view.js';
import { noticeText, turnStatusOf } from '../shared/event-text.js';
import { joinChunks } from '../shared/join-chunks.js';
import { StreamWriter } from './render/stream-writer.js';
import { SlackJobCards } from './job-cards.js';
import { loadSessionView, type SessionView } from './session-view.js';
import { mentionPolicy, PARTICIPANTS_FIELD } from './thread-participants.js';

/** At most one edit a second per message: Slack's rate limit for chat.update is about that. */
export const EDIT_INTERVAL_MS = 1_000;

/** Tool outputs longer than this are attached in full as a file snippet. */
export const SNIPPET_OVER_CHARS = 1_500;

export interface SlackRendererOptions {
  client: WebClient;
  gateway: AgentGateway;
  streaming: boolean;
  logger: Logger;
  follow(sessionId: string): Promise<void>;
  unfollow(sessionId: string): Promise<void>;
  /** The process's redaction function (job cards redact log lines before cutting them to fit). */
  redact?: (text: string) => string;
}

/**
 * Renders a session's events into its Slack thread, in order: a status message with a Stop
 * button while an operation runs (ended by its `operation_complete`), the streamed answer, tool
 * calls as compact lines edited in place, the plan as one checklist, approval cards, a live card
 * per HF job (see {@link SlackJobCards}), and short notices. Message ids live in the session's
 * adapter state, so a restarted gateway keeps editing the same messages. Text from the model or
 * tools is guarded: no broadcasts, and mentions of the thread's participants only.
 */
export class SlackRenderer {
  private readonly views = new Map<string, SessionView>();
  private readonly cards: ApprovalCards;
  private readonly jobCards: SlackJobCards;

  constructor(private readonly options: SlackRendererOptions) {
    this.cards = new ApprovalCards(options.gateway.adapterState(PLATFORM));
    this.jobCards = new SlackJobCards({
      client: options.client,
      state: options.gateway.adapterState(PLATFORM),
      logger: options.logger,
      redact: options.redact ?? ((text) => text),
    });
  }

  async render(sessionId: string, events: readonly StoredEvent[]): Promise<void> {
    const view = await this.viewOf(sessionId);
    if (!view) {
      await this.options.unfollow(sessionId);
      return;
    }
    for (const event of joinChunks(events)) await this.apply(sessionId, view, event);
  }

  /** Delivers whatever is still coalescing (shutdown). */
  async flush(): Promise<void> {
    for (const view of this.views.values()) {
      await view.writer?.finish();
      await Promise.all([view.status.flush(), view.plan.flush(), view.tools?.flush()]);
    }
  }

  private async apply(sessionId: string, view: SessionView, event: AgentEvent): Promise<void> {
    const { client } = this.options;
    const state = this.options.gateway.adapterState(PLATFORM);
    switch (event.type) {
      case 'processing': {
        await this.newStep(view);
        // Whoever wrote or clicked before this operation may be mentioned in its answers. The owner
        // is the view's (a session's owner never changes): no second read of the session hash.
        const participants = await state.get(sessionId, PARTICIPANTS_FIELD);
        view.mentions = mentionPolicy(view.recipient.userId, participants);
        view.usage = undefined;
        view.status = this.message(view); // each operation gets its status line at the bottom of the thread
        await view.status.show(statusContent(sessionId, 'working'));
        view.statusOpen = true;
        await state.set(sessionId, { status: view.status.ts ?? '', statusOpen: '1' });
        return;
      }
      case 'assistant_chunk':
        if (!view.writer) {
          await this.newStep(view); // the tool lines above are final before new text appears below them
          view.writer = this.writer(view);
        }
        await view.writer.append(event.text);
        return;
      case 'assistant_stream_end':
        await view.writer?.finish();
        view.writer = undefined;
        return;
      case 'assistant_message':
        await this.newStep(view);
        for (const message of answerMessages(event.text, view.mentions)) {
          await client.chat.postMessage({ channel: view.channel, thread_ts: view.threadTs, ...message });
        }
        return;
      case 'tool_call':
        view.toolLines.set(event.toolCallId, { tool: event.tool, args: event.args, state: 'running' });
        await this.showTools(view);
        return;
      case 'tool_state_change': {
        const line = view.toolLines.get(event.toolCallId);
        if (line) {
          line.state = event.state;
          await this.showTools(view);
        }
        return;
      }
      case 'tool_output': {
        const line = view.toolLines.get(event.toolCallId);
        if (line) {
          line.output = event.output;
          line.ok = event.ok;
          await this.showTools(view);
        }
        // The thread shows an excerpt; a long output is there in full as a snippet.
        if (event.output.length > SNIPPET_OVER_CHARS)
          await this.uploadSnippet(view, event.tool, event.output);
        return;
      }
      case 'plan_update':
        await view.plan.show(planContent(event.todos, view.mentions));
        await state.set(sessionId, { plan: view.plan.ts ?? '' });
        return;
      case 'approval_required': {
        const calls = event.calls.map((c) => ({ ...c }));
        // The owner is pinged by the bot itself: the one mention the card makes on purpose.
        const owner = view.recipient.userId;
        const posted = await client.chat.postMessage({
          channel: view.channel,
          thread_ts: view.threadTs,
          text: `Approval needed for ${calls.map((c) => c.tool).join(', ')}`,
          blocks: cardBlocks(sessionId, calls, [], owner),
        });
        if (posted.ts) await this.cards.save(sessionId, posted.ts, calls);
        return; // the status line says "waiting for approval" when the operation completes so
      }
      case 'job_update':
        await this.jobCards.show(sessionId, view, event);
        return;
      case 'attachment':
        await this.uploadAttachment(view, event);
        return;
      case 'turn_complete':
        view.usage = { usage: event.usage, costUsd: event.costUsd, costUnknown: event.costUnknown }; // shown when the operation ends
        return;
      case 'operation_complete':
        await this.endOperation(sessionId, view, event.outcome);
        return;
      case 'error':
      case 'compacted':
      case 'undo_complete':
        await this.notice(view, noticeText(event));
        return;
      case 'shutdown':
        await this.notice(view, noticeText(event));
        if (event.replacedBy) await this.options.follow(event.replacedBy);
        view.ended = true; // unfollowed once its operation completes (its status line ended first)
        return;
      case 'interrupted':
      case 'ready':
      case 'tool_log':
        return;
    }
  }

  private writer(view: SessionView): StreamWriter {
    const { teamId, userId } = view.recipient;
    return new StreamWriter(this.options.client, {
      channel: view.channel,
      threadTs: view.threadTs,
      mode: this.options.streaming ? 'stream' : 'edit',
      minEditIntervalMs: EDIT_INTERVAL_MS,
      ...(teamId && userId ? { recipient: { teamId, userId } } : {}),
      mentions: view.mentions,
      onError: (err) => this.options.logger.warn({ err }, 'slack answer delivery failed'),
    });
  }

  /** The current tool-lines message gets its last edit; the next tool call starts a new one. */
  private async newStep(view: SessionView): Promise<void> {
    await view.tools?.flush();
    view.tools = undefined;
    view.toolLines.clear();
  }

  private async showTools(view: SessionView): Promise<void> {
    view.tools ??= this.message(view);
    await view.tools.show(toolLinesContent([...view.toolLines.values()], view.mentions));
  }

  /**
   * The end of an operation, whatever it was (a turn, an approval, compact, undo, new): the answer
   * and tool lines get their last edit, the status line says how it ended (with the turn's usage),
   * and the thread's "is working" status is gone. An operation that never showed a status line
   * (refused before it started) leaves the previous one as it was.
   */
  private async endOperation(
    sessionId: string,
    view: SessionView,
    outcome: Parameters<typeof turnStatusOf>[0],
  ): Promise<void> {
    await view.writer?.finish();
    view.writer = undefined;
    await view.tools?.flush();
    if (view.statusOpen) {
      await view.status.show(statusContent(sessionId, turnStatusOf(outcome), view.usage));
      await view.status.flush();
      view.statusOpen = false;
      await this.options.gateway.adapterState(PLATFORM).set(sessionId, { statusOpen: '' });
    }
    view.usage = undefined;
    // Slack clears the "is working" indicator itself when the app posts in the thread, which the
    // status line did (the indicator is set before the operation is queued): only an operation
    // whose status line could not be posted clears it here.
    if (view.status.ts === undefined)
      await this.options.client.assistant.threads
        .setStatus({ channel_id: view.channel, thread_ts: view.threadTs, status: '' })
        .catch(() => undefined);
    if (view.ended) {
      await this.options.unfollow(sessionId);
      this.views.delete(sessionId);
    }
  }

  private async uploadSnippet(view: SessionView, tool: string, output: string): Promise<void> {
    try {
      await this.options.client.filesUploadV2({
        channel_id: view.channel,
        thread_ts: view.threadTs,
        filename: `${tool}-output.txt`,
        title: `${tool} output`,
        content: output,
      });
    } catch (err) {
      this.options.logger.warn({ err, tool }, 'uploading a tool output snippet failed');
    }
  }

  private async uploadAttachment(view: SessionView, event: AttachmentEvent): Promise<void> {
    try {
      await shareAttachment(this.options.client, view, event);
    } catch (err) {
      // The model was told the file is in the thread; the thread says it is not.
      this.options.logger.warn({ err, tool: event.tool }, 'uploading a tool attachment failed');
      await this.notice(view, `Could not attach ${attachmentLabel(event)} from ${event.tool}.`);
    }
  }

  private async notice(view: SessionView, text: string | undefined): Promise<void> {
    if (text === undefined) return;
    await this.options.client.chat.postMessage({
      channel: view.channel,
      thread_ts: view.threadTs,
      ...noticeContent(text),
    });
  }

  private message(view: { channel: string; threadTs: string }, ts?: string): CoalescedMessage {
    return new CoalescedMessage(
      this.options.client,
      view.channel,
      view.threadTs,
      EDIT_INTERVAL_MS,
      (err) => this.options.logger.warn({ err }, 'slack message edit failed'),
      ts,
    );
  }

  private async viewOf(sessionId: string): Promise<SessionView | undefined> {
    const existing = this.views.get(sessionId);
    if (existing) return existing;
    const view = await loadSessionView(this.options.gateway, sessionId, (thread, ts) =>
      this.message(thread, ts),
    );
    if (view) this.views.set(sessionId, view);
    return view;
  }
}
