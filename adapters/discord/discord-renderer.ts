import { AttachmentBuilder, type Client, type SendableChannels } from 'discord.js';
import {
  attachmentBytes,
  attachmentFileName,
  attachmentLabel,
  type AttachmentEvent,
} from '../shared/attachment-file.js';
import type { Logger } from 'pino';
import type { AgentEvent, OperationOutcome, Usage } from '../../src/core/events.js';
import type { AgentGateway, StoredEvent } from '../../src/core/agent-gateway.js';
import { ApprovalCards } from '../shared/approval-decisions.js';
import { CoalescedEdits, type EditableTarget } from '../shared/coalesced-edits.js';
import { noticeText, planText, toolLinesText, type ToolLine, type TurnStatus } from '../shared/event-text.js';
import { splitText } from '../shared/text-split.js';
import { DiscordAnswer } from './discord-answer.js';
import { JobCardState } from './job-card-state.js';
import { JobCards } from './job-cards.js';
import { MAX_MESSAGE_CHARS, PLATFORM } from './discord-context.js';
import {
  approvalMessage,
  DISCORD_STYLE,
  NO_MENTIONS,
  statusMessage,
  type DiscordContent,
} from './discord-views.js';

export const EDIT_INTERVAL_MS = 1_000;
/** Discord's typing indicator lasts about 10 seconds; it is renewed before it lapses. */
const TYPING_EVERY_MS = 8_000;
const ATTACH_OVER_CHARS = 1_500;
/** The operation that gets no status message (nor typing): a job card's Cancel. */
const QUIET_OP = 'cancel_job';

interface SessionView {
  channel: SendableChannels;
  target: EditableTarget<DiscordContent>;
  status: CoalescedEdits<DiscordContent> | undefined;
  plan: CoalescedEdits<DiscordContent> | undefined;
  tools: CoalescedEdits<DiscordContent> | undefined;
  toolLines: Map<string, ToolLine>;
  answer: DiscordAnswer | undefined;
  /** The session's job cards, one message per watched HF job. */
  jobs: JobCards;
  typing: NodeJS.Timeout | undefined;
  /** The last `turn_complete`'s usage, shown when the operation ends. */
  usage: { usage: Usage; costUsd: number; costUnknown?: boolean | undefined } | undefined;
}

/** The status line each way an operation ends shows (the notices say the rest). */
const END_STATUS: Record<OperationOutcome, TurnStatus> = {
  done: 'done',
  awaiting_approval: 'awaiting_approval',
  interrupted: 'interrupted',
  max_iterations: 'done',
  ended: 'done',
  error: 'error',
};

/**
 * Renders a session's events into its Discord thread (or DM): typing while a turn runs, a status
 * message with Stop, the answer split at 2,000 characters, tool lines and the plan edited in place,
 * approval messages with buttons, job cards (see `JobCards`), long tool outputs as attachments, and
 * short notices. An operation ends on its `operation_complete` (whatever the operation was: a turn,
 * a compaction, an undo), which settles the status message, typing and any streamed text.
 */
export class DiscordRenderer {
  private readonly views = new Map<string, SessionView>();

  constructor(
    private readonly client: Client<true>,
    private readonly gateway: AgentGateway,
    private readonly logger: Logger,
    private readonly follow: (sessionId: string) => Promise<void>,
    private readonly unfollow: (sessionId: string) => Promise<void>,
  ) {}

  async render(sessionId: string, events: readonly StoredEvent[]): Promise<void> {
    const view = await this.viewOf(sessionId);
    if (!view) return this.unfollow(sessionId);
    for (const { event } of events) await this.apply(sessionId, view, event);
  }

  async flush(): Promise<void> {
    for (const view of this.views.values()) {
      clearInterval(view.typing);
      await view.answer?.finish();
      await Promise.all([view.status?.flush(), view.plan?.flush(), view.tools?.flush(), view.jobs.flush()]);
    }
  }

  private async apply(sessionId: string, view: SessionView, event: AgentEvent): Promise<void> {
    switch (event.type) {
      case 'processing':
        // A job card's Cancel is no turn: the card shows the outcome (an error says why it failed).
        if (event.opType === QUIET_OP) return;
        await this.newStep(view);
        view.status = this.edits(view);
        await view.status.show(statusMessage(sessionId, 'working'));
        this.startTyping(view);
        return;
      case 'assistant_chunk':
        if (!view.answer) {
          await this.newStep(view);
          view.answer = new DiscordAnswer(view.target, EDIT_INTERVAL_MS, (err) => this.warn(err));
        }
        await view.answer.append(event.text);
        return;
      case 'assistant_stream_end':
        await view.answer?.finish();
        view.answer = undefined;
        return;
      case 'assistant_message':
        await this.newStep(view);
        for (const piece of splitText(event.text, MAX_MESSAGE_CHARS))
          await view.target.post({ content: piece });
        return;
      case 'tool_call':
        view.toolLines.set(event.toolCallId, { tool: event.tool, args: event.args, state: 'running' });
        return this.showTools(view);
      case 'tool_state_change':
      case 'tool_output': {
        const line = view.toolLines.get(event.toolCallId);
        if (line && event.type === 'tool_state_change') line.state = event.state;
        if (line && event.type === 'tool_output') Object.assign(line, { output: event.output, ok: event.ok });
        if (line) await this.showTools(view);
        if (event.type === 'tool_output' && event.output.length > ATTACH_OVER_CHARS)
          await this.attach(view, event.tool, event.output);
        return;
      }
      case 'plan_update':
        view.plan ??= this.edits(view);
        return view.plan.show({ content: planText(event.todos, DISCORD_STYLE) });
      case 'approval_required': {
        const calls = event.calls.map((c) => ({ ...c }));
        const id = await view.target.post(approvalMessage(sessionId, calls, []));
        if (id) await new ApprovalCards(this.gateway.adapterState(PLATFORM)).save(sessionId, id, calls);
        this.stopTyping(view);
        return view.status?.show(statusMessage(sessionId, 'awaiting_approval'));
      }
      case 'turn_complete':
        view.usage = { usage: event.usage, costUsd: event.costUsd, costUnknown: event.costUnknown };
        return;
      case 'error':
        return this.notice(view, noticeText(event));
      case 'operation_complete': {
        if (event.opType === QUIET_OP) return;
        const status = END_STATUS[event.outcome];
        const usage = status === 'done' ? view.usage : undefined;
        view.usage = undefined;
        return this.endTurn(view, statusMessage(sessionId, status, usage));
      }
      case 'compacted':
      case 'undo_complete':
        return this.notice(view, noticeText(event));
      case 'shutdown':
        await this.notice(view, noticeText(event));
        this.stopTyping(view);
        // No pending card edit outlives the session's view.
        await view.jobs.flush();
        if (event.replacedBy) await this.follow(event.replacedBy);
        await this.unfollow(sessionId);
        this.views.delete(sessionId);
        return;
      case 'ready':
      case 'tool_log':
      case 'interrupted': // operation_complete (interrupted) follows
        return;
      case 'job_update':
        return view.jobs.update(event);
      case 'attachment':
        return this.attachFile(view, event);
      default:
        return assertNever(event);
    }
  }

  private async newStep(view: SessionView): Promise<void> {
    await view.tools?.flush();
    view.tools = undefined;
    view.toolLines.clear();
  }

  private async showTools(view: SessionView): Promise<void> {
    view.tools ??= this.edits(view);
    await view.tools.show({
      content: toolLinesText([...view.toolLines.values()]).slice(0, MAX_MESSAGE_CHARS),
    });
  }

  private async endTurn(view: SessionView, status: DiscordContent): Promise<void> {
    this.stopTyping(view);
    await view.answer?.finish();
    view.answer = undefined;
    await view.tools?.flush();
    if (view.status) {
      await view.status.show(status);
      await view.status.flush();
    }
  }

  private async attach(view: SessionView, tool: string, output: string): Promise<void> {
    try {
      await view.channel.send({
        content: `Full output of \`${tool}\`:`,
        files: [new AttachmentBuilder(Buffer.from(output, 'utf8'), { name: `${tool}-output.txt` })],
        allowedMentions: NO_MENTIONS,
      });
    } catch (err) {
      this.warn(err);
    }
  }

  /** A tool's file (an MCP image) as a message with the file attached (a multipart upload). */
  private async attachFile(view: SessionView, event: AttachmentEvent): Promise<void> {
    const name = attachmentFileName(event);
    try {
      await view.channel.send({
        content: `From \`${event.tool}\`:`,
        files: [new AttachmentBuilder(attachmentBytes(event), { name })],
        allowedMentions: NO_MENTIONS,
      });
    } catch (err) {
      this.warn(err);
      await this.notice(view, `Could not attach ${attachmentLabel(event)} from \`${event.tool}\`.`);
    }
  }

  private async notice(view: SessionView, text: string | undefined): Promise<void> {
    if (text !== undefined) await view.target.post({ content: text.slice(0, MAX_MESSAGE_CHARS) });
  }

  private startTyping(view: SessionView): void {
    this.stopTyping(view);
    const type = () => void view.channel.sendTyping().catch(() => undefined);
    type();
    view.typing = setInterval(type, TYPING_EVERY_MS);
    view.typing.unref();
  }

  private stopTyping(view: SessionView): void {
    clearInterval(view.typing);
    view.typing = undefined;
  }

  private edits(view: SessionView): CoalescedEdits<DiscordContent> {
    return new CoalescedEdits(view.target, EDIT_INTERVAL_MS, (err) => this.warn(err));
  }

  private warn(err: unknown): void {
    this.logger.warn({ err }, 'discord message delivery failed');
  }

  private async viewOf(sessionId: string): Promise<SessionView | undefined> {
    const existing = this.views.get(sessionId);
    if (existing) return existing;
    const thread = (await this.gateway.session(sessionId))?.thread;
    if (!thread || thread.platform !== PLATFORM) return undefined;
    const channel = await this.client.channels.fetch(thread.channel).catch(() => null);
    if (!channel || !channel.isSendable()) return undefined;
    const target: EditableTarget<DiscordContent> = {
      post: async (content) => (await channel.send({ ...content, allowedMentions: NO_MENTIONS })).id,
      edit: async (id, content) => {
        await channel.messages.edit(id, { ...content, allowedMentions: NO_MENTIONS });
      },
    };
    const view: SessionView = {
      channel,
      target,
      status: undefined,
      plan: undefined,
      tools: undefined,
      toolLines: new Map(),
      answer: undefined,
      jobs: new JobCards(
        sessionId,
        target,
        new JobCardState(this.gateway.adapterState(PLATFORM)),
        this.logger,
      ),
      typing: undefined,
      usage: undefined,
    };
    this.views.set(sessionId, view);
    return view;
  }
}

/** New event types fail the typecheck here until the renderer decides what they show. */
function assertNever(event: never): void {
  void event;
}
