import { MAX_ATTACHMENT_BYTES } from '../core/events.js';

/**
 * A tool result (`CallToolResult` of the MCP spec) flattened for the model: text as text, resources
 * and links described, `structuredContent` as JSON when there is no text, and images set aside to be
 * attached to the thread (the model gets a note instead of the bytes).
 */

/** Largest image attached to the thread, decoded; bigger ones are described instead. */
export const MAX_IMAGE_BYTES = MAX_ATTACHMENT_BYTES;
/**
 * What one result may attach in all: a server answering a hundred images would otherwise put a
 * hundred events of up to 5.6 MB into the session's stream and a hundred uploads into the thread.
 */
export const MAX_IMAGES_PER_RESULT = 8;
export const MAX_IMAGE_BYTES_PER_RESULT = 2 * MAX_ATTACHMENT_BYTES;

export interface ImageAttachment {
  name: string;
  mimeType: string;
  dataBase64: string;
  bytes: number;
}

export interface FlatResult {
  text: string;
  isError: boolean;
  images: ImageAttachment[];
}

/** The fields of a content block this reads; the SDK has already checked the result's shape. */
interface Block {
  type: string;
  text?: unknown;
  data?: unknown;
  mimeType?: unknown;
  uri?: unknown;
  name?: unknown;
  title?: unknown;
  description?: unknown;
  resource?: { uri?: unknown; mimeType?: unknown; text?: unknown; blob?: unknown };
}

/** `baseName` names the images (`<baseName>-1.png`). */
export function flattenResult(
  result: { content?: unknown; structuredContent?: unknown; isError?: unknown; toolResult?: unknown },
  baseName: string,
): FlatResult {
  const parts: string[] = [];
  const images: ImageAttachment[] = [];
  const blocks = Array.isArray(result.content) ? (result.content as Block[]) : [];
  let hasText = false;
  let attachedBytes = 0;
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        hasText = true;
        parts.push(str(block.text));
        break;
      case 'image': {
        const image = imageOf(block, `${baseName}-${images.length + 1}`);
        if (typeof image === 'string') parts.push(image);
        else if (
          images.length >= MAX_IMAGES_PER_RESULT ||
          attachedBytes + image.bytes > MAX_IMAGE_BYTES_PER_RESULT
        ) {
          parts.push(
            `[image ${image.mimeType}, ${kb(image.bytes)}: over this result's budget of ${MAX_IMAGES_PER_RESULT} images and ${kb(MAX_IMAGE_BYTES_PER_RESULT)}, not attached]`,
          );
        } else {
          images.push(image);
          attachedBytes += image.bytes;
          parts.push(`[image ${image.name} attached to the thread]`);
        }
        break;
      }
      case 'audio':
        parts.push(
          `[audio ${str(block.mimeType) || 'of unknown type'}, ${kb(base64Bytes(str(block.data)))}: not shown]`,
        );
        break;
      case 'resource_link':
        parts.push(
          `[resource link: ${str(block.name) || str(block.title)} ${str(block.uri)}${mime(block.mimeType)}]`,
        );
        if (str(block.description)) parts.push(str(block.description));
        break;
      case 'resource': {
        const resource = block.resource ?? {};
        if (typeof resource.text === 'string') {
          hasText = true;
          parts.push(`[resource ${str(resource.uri)}${mime(resource.mimeType)}]\n${resource.text}`);
        } else {
          const size = kb(base64Bytes(str(resource.blob)));
          parts.push(`[binary resource ${str(resource.uri)}${mime(resource.mimeType)}, ${size}: not shown]`);
        }
        break;
      }
      default:
        parts.push(`[content of type "${block.type}": not shown]`);
    }
  }
  if (!hasText && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent, null, 2));
  }
  // Servers of protocol 2024-10-07 answer with `toolResult` instead of `content`.
  if (blocks.length === 0 && result.structuredContent === undefined && result.toolResult !== undefined) {
    parts.push(typeof result.toolResult === 'string' ? result.toolResult : JSON.stringify(result.toolResult));
  }
  const text = parts.join('\n');
  return {
    text: text === '' ? '(the tool returned no content)' : text,
    isError: result.isError === true,
    images,
  };
}

/** The image to attach, or a note saying why it is not attached. */
function imageOf(block: Block, stem: string): ImageAttachment | string {
  const mimeType = str(block.mimeType) || 'application/octet-stream';
  const data = str(block.data).replace(/\s+/g, '');
  if (data === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data))
    return `[image ${mimeType}: its data is not valid base64]`;
  const bytes = base64Bytes(data);
  if (bytes > MAX_IMAGE_BYTES) {
    return `[image ${mimeType}, ${kb(bytes)}: over the ${kb(MAX_IMAGE_BYTES)} attachment limit, not attached]`;
  }
  return { name: `${stem}.${extensionOf(mimeType)}`, mimeType, dataBase64: data, bytes };
}

function extensionOf(mimeType: string): string {
  const sub = /^image\/([a-z0-9.+-]+)$/i.exec(mimeType)?.[1]?.toLowerCase() ?? 'bin';
  if (sub === 'jpeg') return 'jpg';
  if (sub === 'svg+xml') return 'svg';
  return sub.replace(/[^a-z0-9]/g, '') || 'bin';
}

/** Decoded size of base64 text, without decoding it. */
function base64Bytes(data: string): number {
  const clean = data.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

export function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function mime(value: unknown): string {
  return typeof value === 'string' && value !== '' ? ` (${value})` : '';
}
