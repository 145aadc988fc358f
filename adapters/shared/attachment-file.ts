import type { EventBody } from '../../src/core/events.js';

/** An `attachment` event: a file a tool produced for the thread (an MCP tool's image). */
export type AttachmentEvent = Extract<EventBody, { type: 'attachment' }>;

/** The file's bytes. */
export function attachmentBytes(event: AttachmentEvent): Buffer {
  return Buffer.from(event.dataBase64, 'base64');
}

/** `chart.png, 12 KB`, as every platform's line about the file says it. */
export function attachmentLabel(event: AttachmentEvent): string {
  const bytes = attachmentBytes(event).length;
  const size = bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
  return `${event.name}, ${size}`;
}

/** A file name safe to upload: no path, no control characters. */
export function attachmentFileName(event: AttachmentEvent): string {
  // eslint-disable-next-line no-control-regex
  const name = event.name.replace(/[/\\\u0000-\u001f]/g, '_').trim();
  return name === '' ? 'attachment' : name;
}
