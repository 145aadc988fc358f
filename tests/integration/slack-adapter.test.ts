import { pino } from 'pino';
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
import { testConfig } from '../helpers/test-app.js';
import { echoTool } from '../helpers/test-tools.js';

const BOT = DEFAULT_IDENTITY.botUserId;
let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

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
    h = await startSlackHarness();
    await h.slack.socket.sendEventsApi(
      eventCallback(channelMessage({ user: 'U1', channel: 'C1', text: 'lunch?' })),
    );
    await h.slack.socket.sendEventsApi(
      eventCallback({
        ...channelMessage({ user: 'U2', channel: 'C1', text: `<@${BOT}> hi` }),
        bot_id: 'BOTHER',
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(h.llm.requests).toHaveLength(0);
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('runs a session per DM thread', async () => {
    h = await startSlackHarness();
    h.llm.enqueue({ text: 'Hello from the DM.' });
    const dm = dmMessage({ user: 'U1', channel: 'D1', text: 'hi intern' });
    await h.slack.socket.sendEventsApi(eventCallback(dm));
    const harness = h;
    await eventually(() => botTexts(harness, 'D1', dm.ts).some((t) => t.includes('Hello from the DM')));
  });

  it('takes a retried event, and the message event beside an app_mention, once', async () => {
    h = await startSlackHarness();
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
    await new Promise((r) => setTimeout(r, 300));
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
    await new Promise((r) => setTimeout(r, 200));
    expect(h.llm.requests).toHaveLength(0);
  });

  it('answers commands: status, and stop interrupts a running turn', async () => {
    h = await startSlackHarness();
    h.llm.enqueue({ text: 'x'.repeat(600), textChunkChars: 3, chunkDelayMs: 20 });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> write an essay` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    const harness = h;
    await eventually(() => harness.llm.requests.length === 1);
    await new Promise((r) => setTimeout(r, 150));
    await h.slack.socket.sendEventsApi(
      eventCallback(appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> stop`, threadTs: mention.ts })),
    );
    await eventually(() => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('Stopped')));
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
