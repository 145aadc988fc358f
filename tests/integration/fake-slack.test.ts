import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { BlockAction, ButtonAction, Logger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appMention,
  blockAction,
  channelMessage,
  eventCallback,
  signedRequest,
  startFakeSlack,
  viewSubmission,
} from '../fakes/fake-slack.js';
import type { FakeSlack } from '../fakes/fake-slack.js';

const CHANNEL = 'C0GENERAL';
const USER = 'U0ALICE';
const SIGNING_SECRET = 'fake-signing-secret';

let fake: FakeSlack;
const apps: App[] = [];

beforeEach(async () => {
  fake = await startFakeSlack();
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
  await fake.close();
});

/** The WebClient options every SDK object here uses: the fake, quiet, fast retries. */
function clientOptions() {
  return {
    slackApiUrl: fake.apiUrl,
    logLevel: LogLevel.ERROR,
    // Retry-After still decides the wait after a 429; this only shortens p-retry's own backoff.
    retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 },
  };
}

/** A logger that drops everything: refusals the fake scripts on purpose are logged by the SDK. */
const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function webClient(token = fake.botToken): WebClient {
  return new WebClient(token, { ...clientOptions(), logLevel: undefined, logger: quietLogger });
}

/** A Bolt app in Socket Mode against the fake, started, stopped in afterEach. */
async function startSocketApp(configure: (app: App) => void, receiver?: SocketModeReceiver): Promise<App> {
  const app = new App({
    token: fake.botToken,
    ...(receiver === undefined ? { appToken: fake.appToken } : { receiver }),
    socketMode: true,
    logLevel: LogLevel.ERROR,
    clientOptions: clientOptions(),
  });
  configure(app);
  apps.push(app);
  await app.start();
  return app;
}

describe('fake Slack with Bolt in Socket Mode', () => {
  it('authenticates, greets the socket, delivers an app_mention and records the threaded reply', async () => {
    const retries: Array<number | undefined> = [];
    await startSocketApp((app) => {
      app.event('app_mention', async ({ event, say, context }) => {
        retries.push(context.retryNum);
        // `say` posts to the channel only: threading is the caller's job.
        await say({ text: `On it, <@${event.user ?? ''}>.`, thread_ts: event.ts });
      });
    });

    expect(fake.callsOf('auth.test')[0]?.token).toBe(fake.botToken);
    expect(fake.callsOf('apps.connections.open')[0]?.token).toBe(fake.appToken);
    await fake.socket.connected();
    expect(fake.socket.connectionCount).toBe(1);

    const mention = appMention({
      user: USER,
      channel: CHANNEL,
      text: `<@${fake.identity.botUserId}> train a model`,
    });
    const ack = await fake.socket.sendEventsApi(eventCallback(mention));
    expect(ack).toEqual({});

    const post = await fake.waitForCall('chat.postMessage');
    expect(post.token).toBe(fake.botToken);
    expect(post.args).toMatchObject({
      channel: CHANNEL,
      thread_ts: mention.ts,
      team_id: fake.identity.teamId,
    });
    const thread = fake.thread(CHANNEL, mention.ts);
    expect(thread.map((m) => [m.user, m.text])).toEqual([
      [USER, mention.text],
      [fake.identity.botUserId, `On it, <@${USER}>.`],
    ]);
    expect(retries).toEqual([0]);

    // A redelivery carries retry_attempt / retry_reason, which Bolt puts on the context.
    await fake.socket.sendEventsApi(eventCallback(mention), { retryAttempt: 1, retryReason: 'timeout' });
    await fake.waitForCall('chat.postMessage', (c) => c !== post);
    expect(retries).toEqual([0, 1]);
    expect(fake.socket.envelopes[1]).toMatchObject({
      type: 'events_api',
      retry_attempt: 1,
      retry_reason: 'timeout',
    });

    const replies = await webClient().conversations.replies({ channel: CHANNEL, ts: mention.ts });
    expect(replies.messages?.[0]).toMatchObject({ ts: mention.ts, reply_count: 2 });
    expect(replies.messages).toHaveLength(3);
  });

  it('routes a block_actions click to app.action, opens a modal and answers a view_submission', async () => {
    const bot = webClient();
    const posted = await bot.chat.postMessage({
      channel: CHANNEL,
      text: 'Launch a GPU job?',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Launch a GPU job?' } },
        {
          type: 'actions',
          block_id: 'approval',
          elements: [
            {
              type: 'button',
              action_id: 'approve',
              text: { type: 'plain_text', text: 'Approve' },
              value: 'call-1',
            },
          ],
        },
      ],
    });
    const ts = posted.ts ?? '';
    const clicked: string[] = [];
    await startSocketApp((app) => {
      app.action<BlockAction<ButtonAction>>('approve', async ({ ack, action, body, client, respond }) => {
        await ack();
        clicked.push(action.value ?? '');
        await client.views.open({
          trigger_id: body.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'reason',
            title: { type: 'plain_text', text: 'Why?' },
            blocks: [
              {
                type: 'input',
                block_id: 'why',
                label: { type: 'plain_text', text: 'Reason' },
                element: { type: 'plain_text_input', action_id: 'text' },
              },
            ],
          },
        });
        await respond({ replace_original: true, text: 'Approved by <@U0ALICE>' });
      });
      app.view('reason', async ({ ack, view }) => {
        const reason = view.state.values.why?.text?.value ?? '';
        await ack(reason === '' ? { response_action: 'errors', errors: { why: 'Say why.' } } : undefined);
      });
    });

    const ack = await fake.socket.sendInteractive(
      blockAction({
        user: USER,
        channel: CHANNEL,
        messageTs: ts,
        actionId: 'approve',
        blockId: 'approval',
        value: 'call-1',
        responseUrl: fake.responseUrl({ channel: CHANNEL, ts, user: USER }),
      }),
    );
    expect(ack).toEqual({});
    await fake.waitForCall('views.open');
    await expect.poll(() => fake.message(CHANNEL, ts)?.editCount).toBe(1);
    expect(clicked).toEqual(['call-1']);
    expect(fake.message(CHANNEL, ts)?.text).toBe('Approved by <@U0ALICE>');
    const [view] = [...fake.workspace.views.values()];
    expect(view?.view).toMatchObject({ callback_id: 'reason' });

    const refused = await fake.socket.sendInteractive(
      viewSubmission({
        user: USER,
        callbackId: 'reason',
        values: { why: { text: { type: 'plain_text_input', value: '' } } },
      }),
    );
    expect(refused).toEqual({ response_action: 'errors', errors: { why: 'Say why.' } });
    expect(fake.socket.envelopes.at(-1)).toMatchObject({
      type: 'interactive',
      accepts_response_payload: true,
    });
  });

  it('reconnects after a disconnect message and after the server drops the socket', async () => {
    // Bolt's App does not pass clientPingTimeout on, and the reconnect delay is that timeout
    // (5 s by default): a receiver built by hand makes it short.
    const receiver = new SocketModeReceiver({
      appToken: fake.appToken,
      clientPingTimeout: 300,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: clientOptions() },
    });
    const seen: string[] = [];
    await startSocketApp((app) => {
      app.event('app_mention', ({ event }) => {
        seen.push(event.text);
        return Promise.resolve();
      });
    }, receiver);

    fake.socket.sendDisconnect('refresh_requested');
    await fake.socket.connected({ count: 2 });
    await fake.socket.sendEventsApi(
      eventCallback(appMention({ user: USER, channel: CHANNEL, text: 'after refresh' })),
    );

    await fake.socket.disconnectAll();
    expect(fake.socket.openConnections).toBe(0);
    await fake.socket.connected({ count: 3 });
    await fake.socket.sendEventsApi(
      eventCallback(appMention({ user: USER, channel: CHANNEL, text: 'after drop' })),
    );
    expect(seen).toEqual(['after refresh', 'after drop']);
    expect(fake.callsOf('apps.connections.open')).toHaveLength(3);
  });
});

describe('fake Slack with Bolt in HTTP mode', () => {
  it('accepts a signed event and refuses a bad signature with 401', async () => {
    const app = new App({
      token: fake.botToken,
      signingSecret: SIGNING_SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: clientOptions(),
    });
    const seen: string[] = [];
    app.event('message', ({ message }) => {
      if (message.subtype === undefined) seen.push(message.text ?? '');
      return Promise.resolve();
    });
    apps.push(app);
    // The HTTPReceiver listens on whatever start() gets: port 0 and a host bind a free loopback port.
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

    const challenge = await signedRequest(
      url,
      { type: 'url_verification', challenge: 'c-123', token: 'x' },
      { signingSecret: SIGNING_SECRET },
    );
    expect(challenge).toMatchObject({ status: 200, json: { challenge: 'c-123' } });

    const body = eventCallback(channelMessage({ user: USER, channel: CHANNEL, text: 'hello over HTTP' }));
    const accepted = await signedRequest(url, body, {
      signingSecret: SIGNING_SECRET,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(accepted.status).toBe(200);
    await expect.poll(() => seen).toEqual(['hello over HTTP']);

    const refused = await signedRequest(url, body, { signingSecret: SIGNING_SECRET, badSignature: true });
    expect(refused.status).toBe(401);
    const stale = await signedRequest(url, body, {
      signingSecret: SIGNING_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    expect(seen).toHaveLength(1);
  });
});

describe('fake Slack Web API', () => {
  it('answers a scripted 429 with Retry-After, which the WebClient waits out before retrying', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    const started = Date.now();
    const result = await webClient().chat.postMessage({ channel: CHANNEL, text: 'patient' });
    expect(result.ok).toBe(true);
    const [limited, retried] = fake.callsOf('chat.postMessage');
    expect(limited?.status).toBe(429);
    expect(retried?.status).toBe(200);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.messages.filter((m) => m.text === 'patient')).toHaveLength(1);
  });

  it('checks tokens, scripts errors and refuses what Slack refuses', async () => {
    await expect(webClient('xoxb-wrong').auth.test()).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    await expect(
      webClient(fake.appToken).chat.postMessage({ channel: CHANNEL, text: 'x' }),
    ).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    await expect(webClient().apiCall('chat.levitate')).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
    fake.failNext('reactions.add', { error: 'ratelimited', times: 2 });
    const posted = await webClient().chat.postMessage({ channel: CHANNEL, text: 'react to me' });
    const react = () =>
      webClient().reactions.add({ channel: CHANNEL, timestamp: posted.ts ?? '', name: 'eyes' });
    await expect(react()).rejects.toMatchObject({ data: { error: 'ratelimited' } });
    await expect(react()).rejects.toMatchObject({ data: { error: 'ratelimited' } });
    await react();
    await expect(react()).rejects.toMatchObject({ data: { error: 'already_reacted' } });
    expect(fake.message(CHANNEL, posted.ts ?? '')?.reactions).toEqual([
      { name: 'eyes', users: [fake.identity.botUserId] },
    ]);

    const long = { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } };
    await expect(
      webClient().chat.postMessage({ channel: CHANNEL, text: 'big', blocks: [long] }),
    ).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      },
    });
    await expect(
      webClient().chat.postMessage({ channel: CHANNEL, text: 'y'.repeat(40_001) }),
    ).rejects.toMatchObject({
      data: { error: 'msg_too_long' },
    });

    await webClient().chat.update({ channel: CHANNEL, ts: posted.ts ?? '', text: 'edited once' });
    await webClient().chat.update({ channel: CHANNEL, ts: posted.ts ?? '', text: 'edited twice' });
    expect(fake.message(CHANNEL, posted.ts ?? '')).toMatchObject({
      text: 'edited twice',
      editCount: 2,
      history: [{ text: 'react to me' }, { text: 'edited once' }],
    });
    await webClient().chat.delete({ channel: CHANNEL, ts: posted.ts ?? '' });
    await expect(
      webClient().chat.update({ channel: CHANNEL, ts: posted.ts ?? '', text: 'gone' }),
    ).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('models a streamed message from the real ChatStreamer, and expires streams like Slack', async () => {
    const parent = fake.addUserMessage({ channel: CHANNEL, user: USER, text: 'explain LoRA' });
    const client = webClient();
    await client.assistant.threads.setStatus({
      channel_id: CHANNEL,
      thread_ts: parent.ts,
      status: 'is thinking...',
    });
    expect(fake.threadStatus(CHANNEL, parent.ts)).toBe('is thinking...');

    const streamer = client.chatStream({
      channel: CHANNEL,
      thread_ts: parent.ts,
      recipient_team_id: fake.identity.teamId,
      recipient_user_id: USER,
      buffer_size: 1,
    });
    await streamer.append({ markdown_text: 'LoRA adds ' });
    await streamer.append({ markdown_text: 'low-rank adapters' });
    await streamer.stop({ markdown_text: '.' });
    expect(fake.calls.map((c) => c.method).filter((m) => m.includes('Stream'))).toEqual([
      'chat.startStream',
      'chat.appendStream',
      'chat.stopStream',
    ]);
    const [, reply] = fake.thread(CHANNEL, parent.ts);
    expect(reply).toMatchObject({
      text: 'LoRA adds low-rank adapters.',
      stream: { state: 'completed', appends: 1 },
    });
    await expect(
      client.chat.appendStream({ channel: CHANNEL, ts: reply?.ts ?? '', markdown_text: 'more' }),
    ).rejects.toMatchObject({
      data: { error: 'message_not_in_streaming_state' },
    });

    await expect(
      client.chat.startStream({ channel: CHANNEL, thread_ts: parent.ts, markdown_text: 'x' }),
    ).rejects.toMatchObject({
      data: { error: 'missing_recipient_team_id' },
    });
    const started = await client.chat.startStream({
      channel: CHANNEL,
      thread_ts: parent.ts,
      recipient_team_id: fake.identity.teamId,
      recipient_user_id: USER,
      markdown_text: 'Working',
    });
    fake.failNext('chat.appendStream', { error: 'message_not_in_streaming_state' });
    await expect(
      client.chat.appendStream({ channel: CHANNEL, ts: started.ts ?? '', markdown_text: '.' }),
    ).rejects.toThrow();
    await client.chat.appendStream({ channel: CHANNEL, ts: started.ts ?? '', markdown_text: '...' });
    fake.expireStreams();
    await expect(
      client.chat.appendStream({ channel: CHANNEL, ts: started.ts ?? '', markdown_text: '!' }),
    ).rejects.toMatchObject({
      data: { error: 'message_not_in_streaming_state' },
    });
    // The way out Slack leaves: edit the stuck message.
    await client.chat.update({ channel: CHANNEL, ts: started.ts ?? '', text: 'Working... done' });
    expect(fake.message(CHANNEL, started.ts ?? '')).toMatchObject({
      text: 'Working... done',
      stream: { state: 'expired' },
    });
    expect(fake.threadStatus(CHANNEL, parent.ts)).toBe('');
  });

  it('expires a stream after streamTtlMs', async () => {
    const short = await startFakeSlack({ streamTtlMs: 50 });
    try {
      const client = new WebClient(short.botToken, { slackApiUrl: short.apiUrl, logLevel: LogLevel.ERROR });
      const started = await client.chat.startStream({
        channel: 'D0ALICE',
        thread_ts: '1.000001',
        markdown_text: 'a',
      });
      await client.chat.appendStream({ channel: 'D0ALICE', ts: started.ts ?? '', markdown_text: 'b' });
      await new Promise((resolve) => setTimeout(resolve, 80));
      await expect(
        client.chat.stopStream({ channel: 'D0ALICE', ts: started.ts ?? '' }),
      ).rejects.toMatchObject({
        data: { error: 'message_not_in_streaming_state' },
      });
    } finally {
      await short.close();
    }
  });

  it('takes a filesUploadV2 upload into a thread and serves files with the bot token only', async () => {
    const parent = fake.addUserMessage({ channel: CHANNEL, user: USER, text: 'share the metrics' });
    await webClient().filesUploadV2({
      channel_id: CHANNEL,
      thread_ts: parent.ts,
      filename: 'metrics.json',
      content: '{"loss":0.12}',
      initial_comment: 'Here they are',
    });
    const [, shared] = fake.thread(CHANNEL, parent.ts);
    expect(shared?.text).toBe('Here they are');
    const file = shared?.files?.[0];
    expect(file?.bytes.toString()).toBe('{"loss":0.12}');

    const withToken = await fetch(file?.urlPrivate ?? '', {
      headers: { Authorization: `Bearer ${fake.botToken}` },
    });
    expect(await withToken.text()).toBe('{"loss":0.12}');
    // Without the token Slack answers a sign-in page, not an error: 200 and HTML.
    const without = await fetch(file?.urlPrivate ?? '');
    expect(without.status).toBe(200);
    expect(without.headers.get('content-type')).toContain('text/html');

    const attached = fake.addFile({ name: 'notes.txt', content: 'lr=3e-4' });
    const users = await webClient().users.info({ user: USER });
    expect(users.user?.id).toBe(USER);
    expect(attached).toMatchObject({
      name: 'notes.txt',
      size: 7,
      url_private: expect.stringContaining(fake.url) as unknown,
    });
  });
});
