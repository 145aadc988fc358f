import { afterEach, describe, expect, it } from 'vitest';
import { createEventRenderer } from '../../adapters/terminal/event-renderer.js';
import { DEFAULT_IDENTITY, appMention, eventCallback } from '../fakes/fake-slack.js';
import { PIXEL_PNG_BASE64 } from '../fakes/mcp-test-server.js';
import { startDiscordHarness, type DiscordHarness } from '../helpers/discord-harness.js';
import { stdioServer } from '../helpers/mcp-servers.js';
import { eventually, startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { testConfig } from '../helpers/test-app.js';
import { Writable } from 'node:stream';

// An MCP tool's image, end to end: the stdio test server returns an image block, the worker emits
// an `attachment` event, and each platform shows the file in the thread (Slack's external upload,
// a Discord message with the file, a line in the terminal).
let slack: SlackHarness | undefined;
let discord: DiscordHarness | undefined;
afterEach(async () => {
  await slack?.close();
  await discord?.close();
  slack = undefined;
  discord = undefined;
});

const PIXEL = Buffer.from(PIXEL_PNG_BASE64, 'base64');
const config = () => testConfig({ mcpServers: { srv: stdioServer() } });

describe('MCP images in the thread', () => {
  it('Slack: the image is uploaded (getUploadURLExternal, upload, completeUploadExternal) into the thread', async () => {
    slack = await startSlackHarness({ config: config() });
    const h = slack;
    h.llm.enqueue({ toolCalls: [{ name: 'srv__picture', input: {} }] }, { text: 'Here it is.' });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${DEFAULT_IDENTITY.botUserId}> chart` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await h.slack.waitForCall('files.completeUploadExternal');
    const shared = await eventually(() =>
      h.slack.thread('C1', mention.ts).find((m) => m.files?.some((f) => f.name === 'srv__picture-1.png')),
    );
    const file = shared.files!.find((f) => f.name === 'srv__picture-1.png')!;
    expect(file.bytes.equals(PIXEL)).toBe(true);
    expect(file.mimetype).toBe('image/png');
    expect(file.channels).toContain('C1');
  });

  it('Discord: the image is a message with the file attached', async () => {
    discord = await startDiscordHarness({ config: config() });
    const h = discord;
    h.llm.enqueue({ toolCalls: [{ name: 'srv__picture', input: {} }] }, { text: 'Here it is.' });
    const mention = h.discord.gateway.sendMessage({ content: 'chart', mentionsBot: true });
    const thread = await eventually(() => h.discord.threads.find((t) => t.id === mention.id));
    const withFile = await eventually(() =>
      h.discord
        .channelMessages(thread.id)
        .find((m) => m.attachments.some((a) => a.filename === 'srv__picture-1.png')),
    );
    expect(withFile.content).toBe('From `srv__picture`:');
    expect(withFile.attachments[0]!.bytes.equals(PIXEL)).toBe(true);
  });

  it('terminal: a line names the image and its size', () => {
    let text = '';
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
    const renderer = createEventRenderer({ out, color: false });
    renderer.render({
      type: 'attachment',
      toolCallId: 't1',
      tool: 'srv__picture',
      name: 'srv__picture-1.png',
      mimeType: 'image/png',
      dataBase64: PIXEL_PNG_BASE64,
    });
    expect(text).toBe(`  [image: srv__picture-1.png, ${PIXEL.length} B]\n`);
  });
});
