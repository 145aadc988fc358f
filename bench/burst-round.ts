import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeAnthropic } from '../tests/fakes/fake-anthropic.js';
import { appMention, DEFAULT_IDENTITY, eventCallback, type FakeSlack } from '../tests/fakes/fake-slack.js';
import type { BurstSender } from './burst-sender.js';
import { BurstTimeline } from './burst-timeline.js';
import type { CleanupStack } from './cleanup-stack.js';
import type { ProcessGroupRss } from './process-group-rss.js';
import { progress } from './progress.js';

/** What one burst of (i) measured. */
export interface BurstRound {
  /** Each POST's time to its response, ms. */
  acks: number[];
  /** From the first POST to the last thread's answer. */
  wallMs: number;
  slackCalls: number;
}

/** The running `start` command and the fakes it talks to. */
export interface BurstTarget {
  base: string;
  slack: FakeSlack;
  llm: FakeAnthropic;
  redisUrl: string;
  prefix: string;
  cleanup: CleanupStack;
  rss: ProcessGroupRss;
  command: number;
  /** Sends the signed POSTs, from a thread of its own. */
  sender: BurstSender;
}

/**
 * One burst: `mentions` signed mentions, each in a thread of its own, POSTed at once from a thread
 * of their own (see burst-sender.ts), then watched until every thread shows `answer`. Mentions are
 * numbered from `first` so that the rounds of a run never share a thread.
 */
export async function burstRound(
  target: BurstTarget,
  options: { mentions: number; first: number; answer: string },
): Promise<BurstRound> {
  const { slack, llm } = target;
  const mentions = Array.from({ length: options.mentions }, (_, k) => {
    const i = options.first + k;
    return appMention({
      user: `U${i % 20}`,
      channel: `C${i % 10}`,
      text: `<@${DEFAULT_IDENTITY.botUserId}> burst ${i}`,
    });
  });
  // Slack holds each message before it tells the app, so the bot's reaction finds it.
  for (const m of mentions) slack.workspace.recordUserEvent(eventCallback(m));
  const timeline = BurstTimeline.enabled()
    ? new BurstTimeline({ command: target.command, all: target.rss.pids() })
    : undefined;
  const callsBefore = slack.calls.length;
  const answered = new Map<string, number>();
  const watching = watchAnswers(slack, mentions, answered, options.answer, 60_000);
  const { startedAt, results } = await target.sender.send(
    mentions.map((m) => JSON.stringify(eventCallback(m))),
  );
  const refused = results.filter((r) => r.status !== 200);
  if (refused.length > 0)
    throw new Error(`(i) ${refused.length} mentions were answered ${refused[0]!.status}`);
  await watching;
  const calls = slack.calls.slice(callsBefore);
  const byMethod = new Map<string, number>();
  for (const call of calls) byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
  progress(`(i) Slack calls: ${[...byMethod].map(([m, n]) => `${m} ${n}`).join(', ')}`);
  await timeline?.print({
    startedAt,
    redisUrl: target.redisUrl,
    prefix: target.prefix,
    llmRequests: llm.requests,
    slackCalls: calls,
    answeredAt: answered.values(),
    threadOfText: new Map(mentions.map((m, k) => [`burst ${options.first + k}`, m.ts])),
  });
  return {
    acks: results.map((r) => r.ms),
    wallMs: Math.max(...answered.values()) - startedAt,
    slackCalls: calls.length,
  };
}

/**
 * Resolves when every mention's thread shows the answer, recording when each did: the arrival of
 * the Web API call that made it show (the fake's stamp), not when this loop looked. Each look reads
 * only the calls since the last one, so watching 200 threads costs the shared cores next to nothing.
 */
export async function watchAnswers(
  slack: FakeSlack,
  mentions: Array<ReturnType<typeof appMention>>,
  answered: Map<string, number>,
  answer: string,
  timeoutMs: number,
): Promise<void> {
  const waiting = new Set(mentions.map((m) => `${m.channel}/${m.ts}`));
  const deadline = performance.now() + timeoutMs;
  let seen = 0;
  while (answered.size < mentions.length) {
    if (performance.now() > deadline)
      throw new Error(`(i) only ${answered.size}/${mentions.length} threads answered in ${timeoutMs} ms`);
    const calls = slack.calls;
    for (; seen < calls.length; seen++) {
      const call = calls[seen]!;
      const channel = call.args.channel;
      if (typeof channel !== 'string') continue;
      const threadTs = threadOf(slack, channel, call.args);
      if (threadTs === undefined || !waiting.has(`${channel}/${threadTs}`)) continue;
      // The call that carries the whole answer and after which the thread shows it.
      const shows = slack.thread(channel, threadTs).some((msg) => msg.text.includes(answer));
      if (shows && JSON.stringify(call.args).includes(answer)) {
        waiting.delete(`${channel}/${threadTs}`);
        answered.set(threadTs, call.at);
      }
    }
    await sleep(5);
  }
}

/** The thread a call wrote in: its `thread_ts`, or the thread of the message it edited. */
function threadOf(slack: FakeSlack, channel: string, args: Record<string, unknown>): string | undefined {
  if (typeof args.thread_ts === 'string') return args.thread_ts;
  if (typeof args.ts !== 'string') return undefined;
  const message = slack.workspace.get(channel, args.ts);
  return message?.threadTs ?? message?.ts;
}

/**
 * Until no Slack call has come for a while: the last threads' status lines are closed before the
 * next round, which then measures only its own mentions.
 */
export async function quiet(slack: FakeSlack, quietMs = 300, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let count = slack.calls.length;
  let since = performance.now();
  while (performance.now() - since < quietMs && performance.now() < deadline) {
    await sleep(50);
    if (slack.calls.length !== count) {
      count = slack.calls.length;
      since = performance.now();
    }
  }
}
