import type { APIEmbed, APIMessageReference } from 'discord.js';
import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';
import { ERRORS, invalidForm } from './fake-discord-http.js';
import type { FakeDiscordUpload, RouteAnswer } from './fake-discord-http.js';
import type { DiscordWorld, FakeDiscordAttachment } from './fake-discord-world.js';

/**
 * Discord's checks on a message body (create, edit, interaction response, follow-up), with its
 * error codes, so the fake refuses what Discord refuses: more than 2,000 characters, empty
 * messages, over-long `custom_id`s, more than 5 rows of 5 buttons... An adapter that splits long
 * answers or builds components is then tested against the real limits.
 */

/** The fields of a message body the fake understands, normalised. */
export interface MessageFields {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  attachments?: FakeDiscordAttachment[];
  flags?: number;
  reference?: APIMessageReference;
  nonce?: string | number;
  enforceNonce: boolean;
  tts: boolean;
  repliedUser: boolean;
  raw: Record<string, unknown>;
}

/** The size cap of one uploaded file (10 MiB, the default for bots' uploads). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_CONTENT = 2000;

const length = (text: string): number => Array.from(text).length;

function checkEmbeds(embeds: APIEmbed[]): RouteAnswer | undefined {
  if (embeds.length > 10)
    return invalidForm('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  for (const [i, embed] of embeds.entries()) {
    if (length(embed.title ?? '') > 256)
      return invalidForm(`embeds.${i}.title`, 'BASE_TYPE_MAX_LENGTH', 'Must be 256 or fewer in length.');
    if (length(embed.description ?? '') > 4096) {
      return invalidForm(
        `embeds.${i}.description`,
        'BASE_TYPE_MAX_LENGTH',
        'Must be 4096 or fewer in length.',
      );
    }
    if ((embed.fields?.length ?? 0) > 25)
      return invalidForm(`embeds.${i}.fields`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    total += length(embed.title ?? '') + length(embed.description ?? '') + length(embed.footer?.text ?? '');
    total += length(embed.author?.name ?? '');
    for (const field of embed.fields ?? []) total += length(field.name) + length(field.value);
  }
  return total > 6000
    ? invalidForm('embeds', 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000')
    : undefined;
}

type Raw = Record<string, unknown>;

/** Action rows of buttons/selects (the classic layout): at most 5 rows of 5 buttons, unique ids ≤ 100. */
function checkComponents(components: unknown[], flags: number): RouteAnswer | undefined {
  // Components V2 layouts (containers, sections...) are accepted as sent.
  if ((flags & MessageFlags.IsComponentsV2) !== 0) return undefined;
  if (components.length > 5)
    return invalidForm('components', 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  const seen = new Set<string>();
  for (const [r, row] of (components as Raw[]).entries()) {
    if (row.type !== ComponentType.ActionRow) continue;
    const children = (row.components ?? []) as Raw[];
    if (children.length === 0 || children.length > 5) {
      return invalidForm(
        `components.${r}.components`,
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 5 in length.',
      );
    }
    for (const [c, child] of children.entries()) {
      const at = `components.${r}.components.${c}`;
      const customId = child.custom_id;
      const isLink =
        child.type === ComponentType.Button &&
        (child.style === ButtonStyle.Link || child.style === ButtonStyle.Premium);
      if (!isLink && (typeof customId !== 'string' || customId === '')) {
        return invalidForm(`${at}.custom_id`, 'BASE_TYPE_REQUIRED', 'This field is required');
      }
      if (typeof customId === 'string') {
        if (length(customId) > 100)
          return invalidForm(`${at}.custom_id`, 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
        if (seen.has(customId))
          return invalidForm(
            `${at}.custom_id`,
            'COMPONENT_CUSTOM_ID_DUPLICATED',
            'Component custom id cannot be duplicated',
          );
        seen.add(customId);
      }
      if (typeof child.label === 'string' && length(child.label) > 80) {
        return invalidForm(`${at}.label`, 'BASE_TYPE_MAX_LENGTH', 'Must be 80 or fewer in length.');
      }
    }
  }
  return undefined;
}

/**
 * New uploads become attachments; `attachments: [{ id }]` entries naming an existing attachment
 * keep it (on edits). An upload `files[n]` takes its description from the entry with `id: n`.
 */
function resolveAttachments(
  world: DiscordWorld,
  listed: Raw[] | undefined,
  files: FakeDiscordUpload[],
  existing: FakeDiscordAttachment[],
): FakeDiscordAttachment[] | RouteAnswer | undefined {
  if (files.length > 10)
    return invalidForm('files', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  if (files.some((f) => f.bytes.length > MAX_FILE_BYTES)) return ERRORS.tooLarge();
  if (listed === undefined && files.length === 0) return undefined;
  const kept = existing.filter((a) => listed?.some((entry) => String(entry.id) === a.id));
  const added = files.map((file, index) => {
    const slot = /\[(\d+)\]/.exec(file.field)?.[1] ?? String(index);
    const entry = listed?.find((e) => String(e.id) === slot);
    return world.addAttachment({
      filename: typeof entry?.filename === 'string' ? entry.filename : file.filename,
      bytes: file.bytes,
      ...(file.contentType !== undefined ? { contentType: file.contentType } : {}),
      ...(typeof entry?.description === 'string' ? { description: entry.description } : {}),
    });
  });
  return [...kept, ...added];
}

/**
 * Reads and checks a message body. `mode: 'create'` also refuses an empty message; on edits only
 * the fields present change (`null` clears a field, as Discord's PATCH does).
 */
export function readMessageBody(
  world: DiscordWorld,
  body: unknown,
  files: FakeDiscordUpload[],
  mode: 'create' | 'edit',
  existing: FakeDiscordAttachment[] = [],
): MessageFields | RouteAnswer {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Raw;
  const fields: MessageFields = {
    enforceNonce: raw.enforce_nonce === true,
    tts: raw.tts === true,
    // No `allowed_mentions`: a reply pings its author. With one, only `replied_user: true` does.
    repliedUser:
      raw.allowed_mentions === undefined || raw.allowed_mentions === null
        ? true
        : (raw.allowed_mentions as Raw).replied_user === true,
    raw,
  };
  if (raw.content !== undefined) {
    const content =
      typeof raw.content === 'string' ? raw.content : raw.content === null ? '' : JSON.stringify(raw.content);
    if (length(content) > MAX_CONTENT)
      return invalidForm('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CONTENT} or fewer in length.`);
    fields.content = content;
  }
  if (raw.flags !== undefined) fields.flags = typeof raw.flags === 'number' ? raw.flags : 0;
  if (raw.embeds !== undefined) {
    fields.embeds = (raw.embeds ?? []) as APIEmbed[];
    const error = checkEmbeds(fields.embeds);
    if (error !== undefined) return error;
  }
  if (raw.components !== undefined) {
    fields.components = (raw.components ?? []) as unknown[];
    const error = checkComponents(fields.components, fields.flags ?? 0);
    if (error !== undefined) return error;
  }
  // `attachments: null` clears them; absent keeps them (edits) unless files are uploaded.
  const listed = raw.attachments === undefined ? undefined : ((raw.attachments ?? []) as Raw[]);
  const attachments = resolveAttachments(world, listed, files, existing);
  if (attachments !== undefined && !Array.isArray(attachments)) return attachments;
  if (attachments !== undefined) fields.attachments = attachments;
  if (raw.message_reference !== undefined && raw.message_reference !== null) {
    fields.reference = raw.message_reference as APIMessageReference;
  }
  if (typeof raw.nonce === 'string' || typeof raw.nonce === 'number') fields.nonce = raw.nonce;
  if (mode === 'create') {
    const empty =
      (fields.content ?? '') === '' &&
      (fields.embeds ?? []).length === 0 &&
      (fields.components ?? []).length === 0 &&
      (fields.attachments ?? []).length === 0 &&
      raw.sticker_ids === undefined &&
      raw.poll === undefined;
    if (empty) return ERRORS.emptyMessage();
  }
  return fields;
}

/** Whether `readMessageBody` refused the body. */
export function isRefusal(value: MessageFields | RouteAnswer): value is RouteAnswer {
  return 'status' in value;
}
