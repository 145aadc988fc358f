import { downloadFile, fileDownloadInfo } from '@huggingface/hub';
import { ServiceError, ToolInputError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import { fenced, formatSize } from './format.js';
import { hubFetch, readCredentials, viaHubLibrary, type HubAccess } from './hub-access.js';
import { repoFilePath } from './repo-path.js';
import {
  hubDesignation,
  pathSegments,
  repoLabel,
  repoLink,
  revisionSegment,
  type RepoRef,
} from './repo-ref.js';

/** Larger files are not downloaded: a result shows ~8,000 characters of them anyway. */
export const READ_MAX_BYTES = 1_000_000;

// Weights, archives, media and columnar data: never text, so not worth a download to find out.
const BINARY_EXTENSION =
  /\.(safetensors|bin|pt|pth|ckpt|h5|hdf5|onnx|gguf|ggml|msgpack|tflite|pb|ot|npy|npz|pkl|pickle|joblib|model|parquet|arrow|feather|avro|zip|gz|tgz|bz2|xz|zst|tar|7z|rar|png|jpe?g|gif|webp|bmp|tiff?|ico|mp3|wav|flac|ogg|mp4|mov|avi|mkv|webm|pdf|woff2?|ttf|otf|so|dll|exe|wasm)$/i;

const LANGUAGES: Record<string, string> = {
  json: 'json',
  jsonl: 'json',
  py: 'python',
  md: 'markdown',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  sh: 'bash',
  js: 'javascript',
  ts: 'typescript',
  html: 'html',
  css: 'css',
  csv: 'csv',
};

/**
 * `read`: one text file. Its size comes first (`@huggingface/hub`'s `fileDownloadInfo`: a ranged
 * `GET /{repo}/resolve/{rev}/{path}`), so a huge file is refused before any download; then
 * `downloadFile` fetches it and bytes that are not UTF-8 text are refused too.
 */
export async function readRepoFile(
  access: HubAccess,
  repo: RepoRef,
  args: { revision?: string | undefined; path?: string | undefined },
): Promise<string> {
  const path = repoFilePath(args.path, 'read');
  const revision = args.revision ?? 'main';
  const link = repoLink(repo, 'blob', revisionSegment(revision), pathSegments(path));
  if (BINARY_EXTENSION.test(path)) {
    throw new ToolInputError(
      `${path} is a binary file (by its extension), so it cannot be read as text; list shows its size. ${link}`,
    );
  }
  const what = `${path} in ${repoLabel(repo)}`;
  const params = {
    repo: hubDesignation(repo),
    path: pathSegments(path),
    revision,
    hubUrl: access.url,
    fetch: hubFetch(access),
    ...readCredentials(access),
  };
  const info = await viaHubLibrary(access, what, () => fileDownloadInfo(params));
  if (!info)
    throw new ServiceError(
      `${path} does not exist in ${repoLabel(repo)} at ${revision}; list the repo to see its files.`,
      { status: 404 },
    );
  if (info.size > READ_MAX_BYTES) {
    throw new ToolInputError(
      `${path} is ${formatSize(info.size)}, too large to read here (limit ${formatSize(READ_MAX_BYTES)}); download it in code instead. ${link}`,
    );
  }
  const bytes = await viaHubLibrary(access, what, async () => {
    const blob = await downloadFile({ ...params, xet: false, downloadInfo: info });
    return blob ? new Uint8Array(await blob.arrayBuffer()) : undefined;
  });
  if (!bytes)
    throw new ServiceError(`${path} does not exist in ${repoLabel(repo)} at ${revision}.`, { status: 404 });
  const text = decodeText(bytes);
  if (text === undefined) {
    throw new ToolInputError(
      `${path} (${formatSize(bytes.length)}) is not UTF-8 text, so it cannot be shown. ${link}`,
    );
  }
  const language = LANGUAGES[path.split('.').pop()?.toLowerCase() ?? ''] ?? '';
  const result = `**${path}** in ${repoLabel(repo)} at \`${revision}\` (${formatSize(bytes.length)})\n${link}\n\n${fenced(text, language)}`;
  return trimOutput(
    result,
    undefined,
    'the whole file is longer than a tool result; download it in code to see all of it',
  );
}

/** The bytes as UTF-8 text, or undefined when they are not text (a NUL byte, or invalid UTF-8). */
function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8_192).includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
