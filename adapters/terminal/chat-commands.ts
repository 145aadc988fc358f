import type { SessionSummary } from '../../src/core/agent-gateway.js';
import { formatCount, type Styles } from './terminal-text.js';
import { costText } from '../shared/cost-text.js';

/** The chat's slash commands; anything else that looks like `/word` is refused, not sent to the model. */
export const CHAT_COMMANDS = {
  status: 'model, status, tokens, cost and context of this session',
  model: 'show the model, or switch it: /model hf/<org>/<model>[:<provider>], openai/<model>, anthropic/<id>',
  undo: 'remove the last exchange from the conversation',
  compact: 'summarise the conversation to free context',
  new: 'start a fresh session',
  help: 'this list',
  quit: 'leave the chat (also Ctrl+D, or Ctrl+C twice)',
} as const;

export type ChatCommand = keyof typeof CHAT_COMMANDS;

export type ParsedInput =
  | { kind: 'command'; command: ChatCommand; argument?: string }
  | { kind: 'unknown_command'; word: string }
  | { kind: 'message'; text: string };

/**
 * Splits a line into a command or a message. Only a leading `/word` is a command, so a message that
 * starts with a path (`/data/train.csv is empty`) still goes to the model.
 */
export function parseChatInput(line: string): ParsedInput {
  const text = line.trim();
  const match = /^\/([a-z][\w-]*)(?:\s|$)/i.exec(text);
  if (!match?.[1]) return { kind: 'message', text };
  const word = match[1].toLowerCase();
  if (word === 'exit') return { kind: 'command', command: 'quit' };
  if (Object.hasOwn(CHAT_COMMANDS, word)) {
    const argument = text.slice(match[0].length).trim();
    return { kind: 'command', command: word as ChatCommand, ...(argument ? { argument } : {}) };
  }
  return { kind: 'unknown_command', word: `/${match[1]}` };
}

export function helpLines(s: Styles): string[] {
  return Object.entries(CHAT_COMMANDS).map(
    ([name, what]) => `  ${s.bold(`/${name}`.padEnd(9))} ${s.dim(what)}`,
  );
}

export function unknownCommandLine(word: string): string {
  const names = Object.keys(CHAT_COMMANDS)
    .map((n) => `/${n}`)
    .join(' ');
  return `Unknown command ${word}. Commands: ${names}`;
}

/** The `/status` block: model, status, token counts, cost in USD (4 decimals) and context use. */
export function statusLines(s: Styles, summary: SessionSummary): string[] {
  const row = (label: string, value: string) => `  ${s.dim(label.padEnd(9))} ${value}`;
  const context =
    summary.contextWindow > 0
      ? `${formatCount(summary.contextTokens)} / ${formatCount(summary.contextWindow)} tokens ` +
        `(${Math.round((100 * summary.contextTokens) / summary.contextWindow)}%)`
      : `${formatCount(summary.contextTokens)} tokens (window unknown)`;
  return [
    row('model', summary.model),
    row('status', summary.status.replace('_', ' ')),
    row('session', summary.id),
    row(
      'tokens',
      `in ${formatCount(summary.inputTokens)} · out ${formatCount(summary.outputTokens)} · ` +
        `cache read ${formatCount(summary.cacheReadTokens)} · cache write ${formatCount(summary.cacheWriteTokens)}`,
    ),
    row('cost', costText(summary.costUsd, summary.costUnknown)),
    row('context', context),
  ];
}
