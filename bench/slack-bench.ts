import { performance } from 'node:perf_hooks';
import { startSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { ScriptedProvider } from '../src/llm/scripted-provider.js';
import {
  appMention,
  eventCallback,
  signedRequest,
  startFakeSlack,
  DEFAULT_IDENTITY,
} from '../tests/fakes/fake-slack.js';
import { benchApp } from './bench-app.js';
import { benchConfig, benchLogger } from './bench-env.js';
import type { CleanupStack } from './cleanup-stack.js';
import { sampleLatency, type LatencySummary } from './sampling.js';
import { round } from './stats.js';

const SIGNING_SECRET = 'bench-signing-secret';
const BOT = DEFAULT_IDENTITY.botUserId;

/** The real gateway (HTTP mode, signed requests) + an in-process worker, against the loopback fake Slack. */
async function slackRig(redisUrl: string, prefix: string, cleanup: CleanupStack, llm: ScriptedProvider) {
  const slack = await startFakeSlack();
  cleanup.push('fake slack', () => slack.close());
  const config = benchConfig(prefix);
  const app = benchApp(redisUrl, config, cleanup, llm);
  await app.startWorkers();
  const adapter = await startSlackAdapter({
    gateway: app,
    botToken: slack.botToken,
    signingSecret: SIGNING_SECRET,
    port: 0,
    apiUrl: slack.apiUrl,
    access: config.access,
    approvers: 'owner',
    streaming: false,
    maxFileBytes: 10_000,
    logger: benchLogger(),
  });
  cleanup.push('slack adapter', () => adapter.stop());
  return { slack, url: `http://127.0.0.1:${adapter.port}/slack/events` };
}

/**
 * (g) A signed mention arrives over HTTP → the first thing a user sees in Slack (the 👀 reaction,
 * posted by the gateway before the turn runs), zero-latency scripted model.
 */
export async function measureSlackFirstResponse(
  redisUrl: string,
  prefix: string,
  cleanup: CleanupStack,
  samples: { warmup: number; samples: number; gapMs: number },
): Promise<LatencySummary> {
  const { slack, url } = await slackRig(
    redisUrl,
    prefix,
    cleanup,
    new ScriptedProvider(() => ({ text: 'ok' })),
  );
  let n = 0;
  return sampleLatency('(g) slack first response', samples, async () => {
    const mention = appMention({ user: 'U1', channel: `C${++n}`, text: `<@${BOT}> hi` });
    const started = performance.now();
    const seen = slack.waitForCall('reactions.add', (c) => c.args.timestamp === mention.ts, 10_000);
    await signedRequest(url, eventCallback(mention), { signingSecret: SIGNING_SECRET });
    await seen;
    return performance.now() - started;
  });
}

/** (h) One streamed answer of `chars` characters over `seconds`: the chat API calls it took. */
export async function measureSlackEditRate(
  redisUrl: string,
  prefix: string,
  cleanup: CleanupStack,
  options: { chars: number; seconds: number },
): Promise<Record<string, number>> {
  const chunks = 250;
  const llm = new ScriptedProvider(() => ({
    text: 'x'.repeat(options.chars),
    chunks,
    chunkDelayMs: (options.seconds * 1000) / chunks,
  }));
  const { slack, url } = await slackRig(redisUrl, prefix, cleanup, llm);
  const mention = appMention({ user: 'U1', channel: 'CEDIT', text: `<@${BOT}> talk` });
  const started = performance.now();
  await signedRequest(url, eventCallback(mention), { signingSecret: SIGNING_SECRET });
  await slack.waitForCall(
    'chat.update',
    (c) => typeof c.args.text === 'string' && c.args.text.length >= options.chars,
    (options.seconds + 30) * 1000,
  );
  const elapsedS = (performance.now() - started) / 1000;
  const answer = slack.thread('CEDIT', mention.ts).find((m) => m.text.length >= options.chars)!;
  const edits = slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === answer.ts).length;
  const posts = slack.calls.filter(
    (c) => c.method === 'chat.postMessage' && c.response.ts === answer.ts,
  ).length;
  const chatCalls = slack.calls.filter((c) => c.method.startsWith('chat.')).length;
  return {
    chars: options.chars,
    seconds: round(elapsedS, 1),
    answerApiCalls: posts + edits,
    answerEditsPerSecond: round(edits / elapsedS, 2),
    chatApiCallsTotal: chatCalls,
  };
}
