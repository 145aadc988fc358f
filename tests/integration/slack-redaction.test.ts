import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCallOutcome, Metrics } from '../../src/core/metrics.js';
import { noopMetrics } from '../../src/core/metrics.js';
import { createRedactor, REDACTED } from '../../src/core/redact.js';
import { appMention, eventCallback, DEFAULT_IDENTITY } from '../fakes/fake-slack.js';
import { eventually, startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { echoTool } from '../helpers/test-tools.js';

const BOT = DEFAULT_IDENTITY.botUserId;
/** A secret with no token shape: only the adapter's redactor knows it (the runtime's does not). */
const SECRET = 'correct-horse-battery-staple-4242';
let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Metrics that remember what they were told. */
function recordingMetrics() {
  const calls: Array<{ service: string; method: string; outcome: ApiCallOutcome }> = [];
  const retries: string[] = [];
  const metrics: Metrics = {
    ...noopMetrics,
    apiCall: (service, method, outcome) => calls.push({ service, method, outcome }),
    apiRetry: (service) => retries.push(service),
  };
  return { metrics, calls, retries };
}

describe('slack: one redaction point and counted calls on the way out', () => {
  it('a secret the redactor knows never reaches Slack: not from the model, a tool call or a tool output', async () => {
    h = await startSlackHarness({ tools: [echoTool], adapter: { redact: createRedactor([SECRET]) } });
    const harness = h;
    // Long enough for the renderer to attach the full output as a snippet file.
    const longText = `${SECRET} ${'x'.repeat(2_000)}`;
    h.llm.enqueue(
      { toolCalls: [{ name: 'echo', input: { text: longText } }] },
      { text: `Done. Your key is ${SECRET}, keep it safe.` },
    );
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> echo my key` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await eventually(() =>
      harness.slack.thread('C1', mention.ts).some((m) => m.text.includes(`Your key is ${REDACTED}`)),
    );
    await h.slack.waitForCall('files.completeUploadExternal');
    const files = [...h.slack.workspace.files.values()];
    expect(files.some((f) => f.bytes.toString('utf8').includes(REDACTED))).toBe(true);

    // The fake recorded every call the adapter made: the secret is in none of them, nor in any file.
    expect(JSON.stringify(h.slack.calls)).not.toContain(SECRET);
    expect(files.every((f) => !f.bytes.toString('utf8').includes(SECRET))).toBe(true);
    // The model did see it: the redaction is on the way to Slack, not upstream.
    expect(JSON.stringify(h.llm.requests.map((r) => r.body))).toContain(SECRET);
  });

  it('counts every Web API call with its outcome, and a 429 as rate_limited with a retry', async () => {
    const recorded = recordingMetrics();
    h = await startSlackHarness({ adapter: { metrics: recorded.metrics } });
    const harness = h;
    h.llm.enqueue({ text: 'after the wait' });
    h.slack.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    h.slack.failNext('assistant.threads.setStatus', { error: 'not_allowed' });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> hi` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await eventually(
      () => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('after the wait')),
      15_000,
    );
    // Each call the bot made reached the fake once per attempt: one count per attempt answered 429,
    // one final outcome per call.
    const botCalls = () => harness.slack.calls.filter((c) => c.method !== 'apps.connections.open');
    await eventually(() => recorded.calls.length === botCalls().length);
    expect(recorded.calls.every((c) => c.service === 'slack')).toBe(true);
    expect(recorded.calls).toContainEqual({ service: 'slack', method: 'auth.test', outcome: 'ok' });
    expect(recorded.calls).toContainEqual({
      service: 'slack',
      method: 'chat.postMessage',
      outcome: 'rate_limited',
    });
    expect(recorded.calls).toContainEqual({ service: 'slack', method: 'chat.postMessage', outcome: 'ok' });
    const failed = botCalls().filter((c) => c.response.ok === false && c.status === 200).length;
    expect(recorded.calls.filter((c) => c.outcome === 'error')).toHaveLength(failed);
    expect(failed).toBeGreaterThan(0);
    expect(recorded.retries).toEqual(['slack']);
  });
});
