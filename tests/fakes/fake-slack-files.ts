import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText } from './fake-slack-http.js';
import { slackId } from './fake-slack-ids.js';
import type { ApiResult, MethodContext, MethodSpec } from './fake-slack-method.js';
import { fail, list, ok, str } from './fake-slack-method.js';
import type { FakeFile, FakeWorkspace } from './fake-slack-workspace.js';

/** What a test gives to put a file in the workspace (an attachment a user shared). */
export interface NewFile {
  name: string;
  content: string | Buffer;
  mimetype?: string;
  title?: string;
  /** The uploader (default: a test user). */
  user?: string;
}

/** Creates a file record with its private URLs on the fake's own server. */
export function createFile(
  workspace: FakeWorkspace,
  baseUrl: string,
  input: NewFile & { uploaded: boolean },
): FakeFile {
  const id = slackId('F');
  const prefix = `${baseUrl}/files-pri/${workspace.identity.teamId}-${id}`;
  const name = encodeURIComponent(input.name);
  const file: FakeFile = {
    id,
    name: input.name,
    title: input.title ?? input.name,
    mimetype: input.mimetype ?? 'text/plain',
    bytes: Buffer.isBuffer(input.content) ? input.content : Buffer.from(input.content),
    user: input.user ?? 'U0FAKEUSER',
    created: Math.floor(Date.now() / 1000),
    urlPrivate: `${prefix}/${name}`,
    urlPrivateDownload: `${prefix}/download/${name}`,
    uploaded: input.uploaded,
    channels: [],
  };
  workspace.files.set(id, file);
  return file;
}

function getUploadUrl(ctx: MethodContext): ApiResult {
  const filename = str(ctx.args, 'filename');
  const length = Number(ctx.args.length);
  if (filename === undefined || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
  const file = createFile(ctx.workspace, ctx.baseUrl, {
    name: filename,
    content: Buffer.alloc(0),
    mimetype: mimetypeOf(filename),
    user: ctx.identity.botUserId,
    uploaded: false,
  });
  return ok({ upload_url: `${ctx.baseUrl}/upload/v1/${file.id}`, file_id: file.id });
}

/** Slack detects an uploaded file's type; the fake goes by the name's extension. */
const MIMETYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  json: 'application/json',
};

function mimetypeOf(filename: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  return MIMETYPES[extension] ?? 'text/plain';
}

function completeUpload(ctx: MethodContext): ApiResult {
  const entries = list(ctx.args, 'files');
  if (entries === undefined || entries.length === 0) return fail('invalid_arguments');
  const files: FakeFile[] = [];
  for (const entry of entries) {
    const id = (entry as { id?: unknown }).id;
    const file = typeof id === 'string' ? ctx.workspace.files.get(id) : undefined;
    if (file === undefined || !file.uploaded) return fail('file_not_found');
    const title = (entry as { title?: unknown }).title;
    if (typeof title === 'string' && title !== '') file.title = title;
    files.push(file);
  }
  const channel = str(ctx.args, 'channel_id');
  if (channel !== undefined) {
    // Slack shares the files as a message from the bot, in the thread when one is given.
    for (const file of files) file.channels.push(channel);
    ctx.workspace.add({
      channel,
      user: ctx.identity.botUserId,
      botId: ctx.identity.botId,
      appId: ctx.identity.appId,
      text: str(ctx.args, 'initial_comment') ?? '',
      blocks: list(ctx.args, 'blocks'),
      threadTs: str(ctx.args, 'thread_ts'),
      files,
    });
  }
  return ok({ files: files.map((f) => ctx.workspace.fileToSlack(f)) });
}

/** `files.getUploadURLExternal` and `files.completeUploadExternal`. */
export const FILE_METHODS: Record<string, MethodSpec> = {
  'files.getUploadURLExternal': { token: 'bot', handle: getUploadUrl },
  'files.completeUploadExternal': { token: 'bot', handle: completeUpload },
};

/**
 * `POST /upload/v1/<file id>`: the upload URL. Takes raw bytes or a multipart body (the WebClient
 * sends its Buffer as a multipart part named `body`) and answers `OK - <bytes>` as Slack does.
 */
export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  workspace: FakeWorkspace,
  fileId: string,
): Promise<void> {
  const file = workspace.files.get(fileId);
  if (file === undefined || req.method !== 'POST') {
    sendText(res, 404, 'not found');
    return;
  }
  const contentType = req.headers['content-type'] ?? '';
  let bytes = raw;
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    const part = form.get('file') ?? form.get('body') ?? [...form.values()][0];
    bytes =
      typeof part === 'string'
        ? Buffer.from(part)
        : part
          ? Buffer.from(await part.arrayBuffer())
          : Buffer.alloc(0);
  }
  file.bytes = bytes;
  file.uploaded = true;
  sendText(res, 200, `OK - ${bytes.length}`);
}

/**
 * `GET /files-pri/...`: a file's private URL. With the bot token it serves the bytes; without it
 * Slack redirects to a sign-in page that answers 200 with HTML, which is what an app that forgets
 * the token downloads — the fake does the same so that mistake shows in tests.
 */
export function handleDownload(
  req: IncomingMessage,
  res: ServerResponse,
  workspace: FakeWorkspace,
  botToken: string,
  baseUrl: string,
): void {
  const match = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\//.exec(new URL(req.url ?? '/', baseUrl).pathname);
  const file = match?.[1] !== undefined ? workspace.files.get(match[1]) : undefined;
  if (file === undefined || !file.uploaded) {
    sendJson(res, 404, { ok: false, error: 'file_not_found' });
    return;
  }
  if (req.headers.authorization !== `Bearer ${botToken}`) {
    res.writeHead(302, { location: `${baseUrl}/signin?redir=${encodeURIComponent(req.url ?? '/')}` });
    res.end();
    return;
  }
  res.writeHead(200, {
    'content-type': file.mimetype,
    'content-length': file.bytes.length,
    'content-disposition': `attachment; filename="${file.name}"`,
  });
  res.end(file.bytes);
}

/** The sign-in page a download without a token lands on. */
export function handleSignin(res: ServerResponse): void {
  sendText(
    res,
    200,
    '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>',
    {
      'content-type': 'text/html; charset=utf-8',
    },
  );
}
