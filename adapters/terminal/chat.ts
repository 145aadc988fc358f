import { EventFeed } from './event-feed.js';
import { estimateText } from '../shared/event-text.js';
import { userMessageOf } from '../../src/core/errors.js';
import type { Readable, Writable } from 'node:stream';
import type { AgentGateway, EventReader } from '../../src/core/agent-gateway.js';
import type { PendingCallSummary } from '../../src/core/events.js';
import { MAX_USER_TEXT_CHARS, type ApprovalDecision, type Operation } from '../../src/core/operations.js';
import {
  helpLines,
  parseChatInput,
  statusLines,
  unknownCommandLine,
  type ChatCommand,
} from './chat-commands.js';
import { createEventRenderer, type EventRenderer } from './event-renderer.js';
import { LineSource } from './line-source.js';
import { untilOperationEnds, type OperationEnd } from './operation-end.js';
import { SessionFollower } from './session-follower.js';
import { DEFAULT_WIDTH, formatArgs, formatCount, stylesFor, truncate, type Styles } from './terminal-text.js';

/** Longest feedback an approval decision carries (the operation schema's limit). */
const MAX_FEEDBACK_CHARS = 10_000;

export interface ChatOptions {
  input: Readable;
  output: Writable;
  /** ANSI colours: only when the output is a TTY. */
  color: boolean;
  model?: string;
  maxIterations?: number;
  stream?: boolean;
  /** Session owner; `terminal` by default. */
  owner?: string;
  /** Line editing and Ctrl+C handling; defaults to whether `input` is a TTY. */
  terminal?: boolean;
  width?: number;
  /** Usage after each turn and lifecycle events. */
  verbose?: boolean;
  /** Test seam: how long one event read blocks. */
  blockMs?: number;
}

/**
 * The interactive chat: each line is a message to the agent, slash commands drive the session, and
 * tool calls that need approval are asked for one by one. With piped input it sends one line per
 * turn, waiting for each turn to end, and returns at end of input.
 */
export async function runChat(gateway: AgentGateway, options: ChatOptions): Promise<void> {
  const owner = options.owner ?? 'terminal';
  const sessionId = await gateway.startSession({
    owner,
    platform: 'terminal',
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
    ...(options.stream !== undefined ? { stream: options.stream } : {}),
  });
  const reader = gateway.openEventReader('terminal-chat');
  const chat = new TerminalChat(gateway, options, owner, sessionId, reader);
  try {
    await chat.run();
  } finally {
    chat.close();
    reader.close();
  }
}

class TerminalChat {
  private readonly follower: SessionFollower;
  private readonly events: EventFeed;
  private readonly lines: LineSource;
  private readonly renderer: EventRenderer;
  private readonly s: Styles;
  private readonly out: Writable;
  private readonly prompt: string;
  private busy = false;
  private quitting = false;
  /** Ctrl+C presses in a row: at the prompt two quit, during a turn the first interrupts. */
  private presses = 0;

  constructor(
    private readonly gateway: AgentGateway,
    options: ChatOptions,
    private readonly owner: string,
    sessionId: string,
    reader: EventReader,
  ) {
    this.out = options.output;
    this.s = stylesFor(options.color);
    const terminal = options.terminal ?? (options.input as { isTTY?: boolean }).isTTY === true;
    const width = options.width ?? (options.output as { columns?: number }).columns ?? DEFAULT_WIDTH;
    this.renderer = createEventRenderer({
      out: options.output,
      color: options.color,
      width,
      verbose: options.verbose ?? false,
    });
    this.follower = new SessionFollower(reader, sessionId, {
      ...(options.blockMs !== undefined ? { blockMs: options.blockMs } : {}),
    });
    this.events = new EventFeed(this.follower[Symbol.asyncIterator](), (stored) => {
      // Events nobody waits for (a job's status, its report): shown now, then the prompt again.
      this.renderer.render(stored.event);
      this.lines.redraw();
    });
    this.lines = new LineSource(options.input, options.output, terminal);
    this.lines.onBusyInterrupt = () => this.interruptTurn();
    this.prompt = this.s.bold(this.s.cyan('you › '));
  }

  private get sessionId(): string {
    return this.follower.sessionId;
  }

  async run(): Promise<void> {
    const summary = await this.gateway.session(this.sessionId);
    this.say(
      this.s.dim(`ml-intern · ${summary?.model ?? 'default model'} · /help for commands, /quit to leave`),
    );
    while (!this.quitting) {
      const next = await this.lines.next(this.prompt);
      if (next.kind === 'eof') break;
      if (next.kind === 'interrupt') {
        if (++this.presses >= 2) break;
        this.say(this.s.dim('(Press Ctrl+C again or Ctrl+D to quit.)'));
        continue;
      }
      this.presses = 0;
      await this.handleLine(next.text);
    }
  }

  close(): void {
    this.follower.stop();
    this.lines.close();
  }

  private async handleLine(line: string): Promise<void> {
    const input = parseChatInput(line);
    switch (input.kind) {
      case 'command':
        return this.runCommand(input.command, input.argument);
      case 'unknown_command':
        return this.say(unknownCommandLine(input.word));
      case 'message':
        if (input.text.length === 0) return;
        if (input.text.length > MAX_USER_TEXT_CHARS) {
          return this.say(
            this.s.red(
              `Not sent: the message has ${formatCount(input.text.length)} characters; ` +
                `the limit is ${formatCount(MAX_USER_TEXT_CHARS)}.`,
            ),
          );
        }
        return this.runOperation({ type: 'user_input', text: input.text });
    }
  }

  private async runCommand(command: ChatCommand, argument?: string): Promise<void> {
    switch (command) {
      case 'model': {
        if (argument === undefined) {
          const summary = await this.gateway.session(this.sessionId);
          return this.say(`Model: ${summary?.model ?? 'unknown'}`);
        }
        try {
          await this.gateway.configureSession(this.sessionId, { model: argument });
          return this.say(`Model set to ${argument} from the next message on.`);
        } catch (err) {
          return this.say(this.s.red(userMessageOf(err).message));
        }
      }
      case 'status': {
        const summary = await this.gateway.session(this.sessionId);
        return summary ? this.say(...statusLines(this.s, summary)) : this.say('No such session.');
      }
      case 'undo':
      case 'compact':
      case 'new':
        return this.runOperation({ type: command });
      case 'help':
        return this.say(...helpLines(this.s));
      case 'quit':
        this.quitting = true;
        return;
    }
  }

  /** Submits `op` and renders events until it ends, asking for approvals on the way. */
  private async runOperation(op: Operation): Promise<void> {
    // Held from before the submit, so the operation's first events wait for it, not for the prompt.
    this.events.hold();
    try {
      let envelope = await this.gateway.submit(this.sessionId, op, this.owner);
      for (;;) {
        const end = await this.waitForEnd(envelope.id);
        if (end?.outcome !== 'awaiting_approval' || end.pending.length === 0) return;
        const decisions = await this.askApprovals(end.pending);
        if (!decisions) return;
        envelope = await this.gateway.submit(
          this.sessionId,
          { type: 'exec_approval', decisions },
          this.owner,
        );
      }
    } finally {
      this.events.release();
    }
  }

  /** Renders events until operation `opId` completes; `undefined` when the chat is quitting. */
  private async waitForEnd(opId: string): Promise<OperationEnd | undefined> {
    this.busy = true;
    this.presses = 0;
    try {
      return await untilOperationEnds(this.events, opId, (event) => this.renderer.render(event));
    } finally {
      this.busy = false;
      this.presses = 0;
      this.renderer.breakLine();
    }
  }

  /** Asks about each call; `undefined` when the user walked away (Ctrl+C, end of input). */
  private async askApprovals(calls: readonly PendingCallSummary[]): Promise<ApprovalDecision[] | undefined> {
    const decisions: ApprovalDecision[] = [];
    for (const call of calls) {
      const args = truncate(formatArgs(call.args, ', '), 60);
      if (call.estimate) this.say(`  ${estimateText(call.estimate, this.s)}`);
      const question = `${this.s.yellow('Approve')} ${this.s.bold(call.tool)}(${args})? [y/n/feedback] `;
      let decision: ApprovalDecision | undefined;
      while (!decision) {
        const next = await this.lines.next(question);
        if (next.kind !== 'line') {
          this.say(this.s.dim('No decision sent; the calls stay pending until your next message.'));
          if (next.kind === 'eof') this.quitting = true;
          return undefined;
        }
        decision = decisionOf(call.toolCallId, next.text);
      }
      decisions.push(decision);
    }
    return decisions;
  }

  /** Ctrl+C while no prompt waits: returns false when no turn runs (the prompt takes it instead). */
  private interruptTurn(): boolean {
    if (!this.busy) return false;
    if (++this.presses >= 2) {
      this.say(this.s.dim('Leaving without waiting for the turn to stop.'));
      this.quitting = true;
      this.follower.stop();
      return true;
    }
    this.say(this.s.yellow('■ Interrupting… (Ctrl+C again to quit)'));
    this.gateway.submit(this.sessionId, { type: 'interrupt' }, this.owner).catch(() => {
      this.say(this.s.red('Could not send the interrupt.'));
    });
    return true;
  }

  private say(...lines: string[]): void {
    this.renderer.breakLine();
    for (const line of lines) this.out.write(`${line}\n`);
  }
}

/** `y` approves, `n` rejects, any other text rejects with that text as feedback; blank asks again. */
export function decisionOf(toolCallId: string, answer: string): ApprovalDecision | undefined {
  const text = answer.trim();
  if (text.length === 0) return undefined;
  const word = text.toLowerCase();
  if (word === 'y' || word === 'yes') return { toolCallId, approved: true };
  if (word === 'n' || word === 'no') return { toolCallId, approved: false };
  return { toolCallId, approved: false, feedback: text.slice(0, MAX_FEEDBACK_CHARS) };
}
