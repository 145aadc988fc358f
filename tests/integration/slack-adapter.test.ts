import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import {
  appMention,
  channelMessage,
  dmMessage,
  eventCallback,
  DEFAULT_IDENTITY,
} from '../fakes/fake-slack.js';
import { eventually, startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { testConfig, waitForEvent } from '../helpers/test-app.js';
import { echoTool } from '../helpers/test-tools.js';

const BOT = DEFAULT_IDENTITY.botUserId;
let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A debug logger whose lines the test reads: the adapter's refusals are positive signals. */
function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

/** The bot's messages in a thread, as their current text. */
function botTexts(harness: SlackHarness, channel: string, threadTs: string): string[] {
  return harness.slack
    .thread(channel, threadTs)
    .filter((m) => m.user === BOT)
    .map((m) => m.text);
}

describe('slack: mentions and threads', () => {
  it('answers a mention in its thread, and takes follow-ups there without a mention', async () => {
    h = await startSlackHarness();
    h.llm.enqueue({ text: 'Sure: use **LoRA**.' }, { text: 'Rank 16 is fine.' });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> how do I fine-tune?` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    const harness = h;
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.includes('LoRA')));
    expect(h.slack.callsOf('reactions.add')[0]?.args).toMatchObject({
      channel: 'C1',
      timestamp: mention.ts,
      name: 'eyes',
    });

    const followUp = channelMessage({ user: 'U1', channel: 'C1', text: 'which rank?', threadTs: mention.ts });
    await h.slack.socket.sendEventsApi(eventCallback(followUp));
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.includes('Rank 16')));
    // One session: the second request carries the first exchange.
    expect(JSON.stringify(h.llm.requests.at(-1)?.body)).toContain('how do I fine-tune?');
    // A status line with a Stop button was shown and finished as done.
    const status = h.slack.thread('C1', mention.ts).find((m) => m.text.includes('Done'));
    expect(status).toBeDefined();
  });

  it('ignores plain channel messages outside a session thread, and other bots', async () => {
    const log = capturingLogger();
    h = await startSlackHarness({ adapter: { logger: log.logger } });
    const harness = h;
    h.llm.setDefault(() => ({ text: 'sentinel answered' }));
    const lunch = channelMessage({ user: 'U1', channel: 'C1', text: 'lunch?' });
    await h.slack.socket.sendEventsApi(eventCallback(lunch));
    await h.slack.socket.sendEventsApi(
      eventCallback({
        ...channelMessage({ user: 'U2', channel: 'C1', text: `<@${BOT}> hi` }),
        bot_id: 'BOTHER',
      }),
    );
    // Both were handled, and refused for their reason.
    await eventually(
      () =>
        log.lines.some(
          (l) => l.msg === 'slack message outside a session thread ignored' && l.ts === lunch.ts,
        ) && log.lines.some((l) => l.msg === 'slack event ignored' && l.reason === 'from a bot'),
    );
    // A mention sent after them is answered, and is the only thing the model ever saw.
    const sentinel = appMention({ user: 'U3', channel: 'C2', text: `<@${BOT}> sentinel` });
    await h.slack.socket.sendEventsApi(eventCallback(sentinel));
    await eventually(() => botTexts(harness, 'C2', sentinel.ts).some((t) => t.includes('sentinel answered')));
    expect(h.llm.requests).toHaveLength(1);
    expect(JSON.stringify(h.llm.requests[0]?.body)).toContain('sentinel');
    expect(h.slack.callsOf('chat.postMessage').map((c) => c.args.channel)).not.toContain('C1');
  });

  it('runs a session per DM thread', async () => {
    h = await startSlackHarness();
    h.llm.enqueue({ text: 'Hello from the DM.' }, { text: 'Second DM answer.' });
    const dm = dmMessage({ user: 'U1', channel: 'D1', text: 'hi intern' });
    await h.slack.socket.sendEventsApi(eventCallback(dm));
    const harness = h;
    await eventually(() => botTexts(harness, 'D1', dm.ts).some((t) => t.includes('Hello from the DM')));
    const other = dmMessage({ user: 'U1', channel: 'D1', text: 'another topic' });
    await h.slack.socket.sendEventsApi(eventCallback(other));
    await eventually(() => botTexts(harness, 'D1', other.ts).some((t) => t.includes('Second DM answer')));

    // Each top-level DM message started its own session, answered in its own thread.
    const first = await h.app.threadSession({ platform: 'slack', channel: 'D1', thread: dm.ts });
    const second = await h.app.threadSession({ platform: 'slack', channel: 'D1', thread: other.ts });
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(JSON.stringify(h.llm.requests[1]?.body)).not.toContain('hi intern');
    expect(botTexts(harness, 'D1', dm.ts).some((t) => t.includes('Second DM answer'))).toBe(false);
  });

  it('takes a retried event, and the message event beside an app_mention, once', async () => {
    const log = capturingLogger();
    h = await startSlackHarness({ adapter: { logger: log.logger } });
    h.llm.setDefault(() => ({ text: 'once' }));
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> do it` });
    const body = eventCallback(mention);
    await h.slack.socket.sendEventsApi(body);
    await h.slack.socket.sendEventsApi(body, { retryAttempt: 1, retryReason: 'timeout' });
    await h.slack.socket.sendEventsApi(
      eventCallback({ ...mention, type: 'message', channel_type: 'channel' }),
    );
    const harness = h;
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.includes('once')));
    // The retry and the twin message event were both handled, and both refused as duplicates.
    await eventually(
      () =>
        log.lines.filter((l) => l.msg === 'duplicate slack message ignored' && l.ts === mention.ts).length ===
        2,
    );
    expect(h.llm.requests).toHaveLength(1);
  });

  it('refuses a user outside the allow-list with an ephemeral note and enqueues nothing', async () => {
    h = await startSlackHarness({ config: testConfig({ access: { users: ['U_ALLOWED'] } }) });
    const mention = appMention({ user: 'U_STRANGER', channel: 'C1', text: `<@${BOT}> run up my bill` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    const harness = h;
    const note = await eventually(() =>
      harness.slack.workspace.ephemerals.find((e) => e.user === 'U_STRANGER'),
    );
    expect(note.text).toMatch(/not on the list/);
    // A message from an allowed user, sent after, is answered; the stranger's never reached the model.
    h.llm.enqueue({ text: 'allowed answer' });
    const sentinel = appMention({ user: 'U_ALLOWED', channel: 'C2', text: `<@${BOT}> sentinel` });
    await h.slack.socket.sendEventsApi(eventCallback(sentinel));
    await eventually(() => botTexts(harness, 'C2', sentinel.ts).some((t) => t.includes('allowed answer')));
    expect(h.llm.requests).toHaveLength(1);
    expect(JSON.stringify(h.llm.requests[0]?.body)).not.toContain('run up my bill');
    expect(
      await h.app.threadSession({ platform: 'slack', channel: 'C1', thread: mention.ts }),
    ).toBeUndefined();
  });

  it('answers commands: status, and stop interrupts a running turn', async () => {
    h = await startSlackHarness();
    // The model streams 30 chunks, then goes silent: only a stop can end this turn.
    h.llm.enqueue({ text: 'x'.repeat(600), textChunkChars: 3, hangAfterChunks: 30 });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> write an essay` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    const harness = h;
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.startsWith('xxx')));
    await h.slack.socket.sendEventsApi(
      eventCallback(appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> stop`, threadTs: mention.ts })),
    );
    const status = await eventually(() =>
      harness.slack.thread('C1', mention.ts).find((m) => m.text.includes('Stopped')),
    );
    expect(JSON.stringify(status.blocks)).not.toContain('mlib_stop');
    // The turn ended there: interrupted, never completed, the answer cut where the stream was.
    const sessionId = (await h.app.threadSession({ platform: 'slack', channel: 'C1', thread: mention.ts }))!;
    const { events } = await waitForEvent(h.app, sessionId, (e) => e.type === 'operation_complete');
    expect(events.find((e) => e.type === 'operation_complete')).toMatchObject({ outcome: 'interrupted' });
    expect(events.some((e) => e.type === 'turn_complete')).toBe(false);
    const answer = botTexts(harness, 'C1', mention.ts).find((t) => t.startsWith('xxx'))!;
    expect(answer.length).toBeLessThanOrEqual(90);
    await h.slack.socket.sendEventsApi(
      eventCallback(
        appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> status`, threadTs: mention.ts }),
      ),
    );
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.includes('anthropic/')));
  });
});

describe('slack: attachments and restarts', () => {
  it('reads attached text files into the message and names the others', async () => {
    h = await startSlackHarness();
    const harness = h;
    h.llm.enqueue({ text: 'Read it.' });
    const csv = h.slack.addFile({
      name: 'train.csv',
      content: 'text,label\nhello,1\n',
      mimetype: 'text/csv',
    });
    const png = h.slack.addFile({
      name: 'loss.png',
      content: Buffer.from([137, 80, 78, 71]),
      mimetype: 'image/png',
    });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> look`, files: [csv, png] });
    await h.slack.socket.sendEventsApi(eventCallback({ ...mention, subtype: 'file_share' }));
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.includes('Read it.')));
    const sent = JSON.stringify(h.llm.requests[0]?.body);
    expect(sent).toContain('hello,1');
    expect(sent).toContain('loss.png');
    expect(sent).toContain('not text, not read');
  });

  it('a restarted gateway resumes rendering from its cursor, without repeating messages', async () => {
    h = await startSlackHarness();
    const harness = h;
    h.llm.enqueue({ text: 'first answer' });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> one` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.includes('first answer')));
    await new Promise((r) => setTimeout(r, 100));
    await h.adapter.stop();

    // While no gateway runs, the session keeps working: its events wait in the stream.
    const sessionId = (await h.app.threadSession({ platform: 'slack', channel: 'C1', thread: mention.ts }))!;
    h.llm.enqueue({ text: 'second answer' });
    await h.app.submit(sessionId, { type: 'user_input', text: 'two' }, 'U1');
    await eventually(
      async () => (await h!.app.session(sessionId))?.status === 'idle' && h!.llm.requests.length === 2,
    );

    h.adapter = await startSlackAdapter({
      gateway: h.app,
      botToken: h.slack.botToken,
      appToken: h.slack.appToken,
      apiUrl: h.slack.apiUrl,
      access: { workspaces: [], channels: [], users: [] },
      approvers: 'owner',
      streaming: false,
      maxFileBytes: 1000,
      logger: pino({ level: 'silent' }),
    });
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.includes('second answer')));
    expect(botTexts(harness, 'C1', mention.ts).filter((t) => t.includes('first answer'))).toHaveLength(1);
  });
});

describe('slack: tool output', () => {
  it('shows an excerpt in the tool line and attaches a long output as a snippet', async () => {
    h = await startSlackHarness({ tools: [echoTool] });
    const harness = h;
    const long = `line ${'data '.repeat(600)}`;
    h.llm.enqueue({ toolCalls: [{ name: 'echo', input: { text: long } }] }, { text: 'Echoed.' });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> echo` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.includes('Echoed.')));
    const upload = await h.slack.waitForCall('files.completeUploadExternal');
    expect(JSON.stringify(upload.args)).toContain('echo output');
    const line = botTexts(harness, 'C1', mention.ts).find((t) => t.includes('`echo`'));
    expect(line).toContain('→ echo: line data');
    expect(line!.length).toBeLessThan(600);
  });
});

/** The thread's status lines (a context block first), oldest first. */
function statusLines(harness: SlackHarness, channel: string, threadTs: string) {
  return harness.slack
    .thread(channel, threadTs)
    .filter((m) => m.user === BOT && (m.blocks?.[0] as { type?: string } | undefined)?.type === 'context');
}

describe('slack: the end of every operation', () => {
  it('ends the status line of an operation that is not a turn (undo), and clears the thread status', async () => {
    h = await startSlackHarness();
    const harness = h;
    h.llm.enqueue({ text: 'first answer' });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> one` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await eventually(() => statusLines(harness, 'C1', mention.ts)[0]?.text.startsWith('✅ Done'));
    await h.slack.socket.sendEventsApi(
      eventCallback(appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> undo`, threadTs: mention.ts })),
    );
    await eventually(() => botTexts(harness, 'C1', mention.ts).some((t) => t.includes('Undone')));
    // The undo had its own status line; its operation_complete ends it (no Stop button left).
    const [, undo] = await eventually(() => {
      const lines = statusLines(harness, 'C1', mention.ts);
      return lines.length === 2 && lines[1]!.text.startsWith('✅ Done') && lines;
    });
    expect(JSON.stringify(undo!.blocks)).not.toContain('mlib_stop');
    expect(h.slack.threadStatus('C1', mention.ts)).toBe('');
  });

  it('says a turn stopped at the step limit, with its usage, instead of "done"', async () => {
    h = await startSlackHarness({ config: testConfig({ maxIterations: 1 }), tools: [echoTool] });
    const harness = h;
    h.llm.enqueue({ toolCalls: [{ name: 'echo', input: { text: 'again' } }] });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> loop` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    const status = await eventually(() =>
      statusLines(harness, 'C1', mention.ts).find((m) => !m.text.startsWith('⏳')),
    );
    expect(status.text).toMatch(/^⏸️ Stopped at the step limit · [\d,]+ tokens · \$/);
    expect(botTexts(harness, 'C1', mention.ts).some((t) => t.includes('Stopped after 1 iterations'))).toBe(
      true,
    );
  });
});
