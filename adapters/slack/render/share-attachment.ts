import type { WebClient } from '@slack/web-api';
import { attachmentBytes, attachmentFileName, type AttachmentEvent } from '../../shared/attachment-file.js';

/**
 * Shares a tool's file (an MCP tool's image) in the thread. `filesUploadV2` is Slack's external
 * upload: `files.getUploadURLExternal`, the bytes to the upload URL, `files.completeUploadExternal`
 * with the channel and thread. Throws what the Web API threw.
 */
export async function shareAttachment(
  client: WebClient,
  thread: { channel: string; threadTs: string },
  event: AttachmentEvent,
): Promise<void> {
  const filename = attachmentFileName(event);
  await client.filesUploadV2({
    channel_id: thread.channel,
    thread_ts: thread.threadTs,
    filename,
    title: `${event.tool}: ${filename}`,
    file: attachmentBytes(event),
  });
}
