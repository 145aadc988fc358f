import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import { decodeText, fenceFor, sliceLines, splitLines } from './file-lines.js';
import type { GitHubApi } from './github-api.js';
import { formatBytes } from './github-format.js';
import { contentSchema, parseAnswer } from './github-shapes.js';
import { parseRepo, repoId, type RepoName } from './repo-names.js';

/** GitHub serves files up to 100 MB raw; past this one the sandbox (git clone) is the better tool. */
const MAX_RAW_BYTES = 10_000_000;
const MAX_DIRECTORY_ENTRIES = 100;

const parameters = z.object({
  repo: z.string().trim().min(1).describe("Repository as owner/name ('huggingface/trl')."),
  path: z
    .string()
    .trim()
    .min(1)
    .describe(
      "Path of the file in the repository ('examples/scripts/sft.py'); a directory lists its entries.",
    ),
  ref: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe('Branch, tag or commit SHA (default: the default branch).'),
  line_start: z.number().int().min(1).optional().describe('First line to show (1-based, inclusive).'),
  line_end: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Last line to show (inclusive; default 300 lines on).'),
});

type Args = z.infer<typeof parameters>;

type Content = z.infer<typeof contentSchema>;
type FileContent = Exclude<Content, unknown[]>;

/**
 * The reference agent's GitHub `read_file`: a file's lines from `GET /repos/{owner}/{repo}/contents/{path}`
 * (base64 `content`; the raw media type for files of 1–100 MB, which come without it), 300 lines
 * unless a range is asked for, numbered, with the total and the call that reads on.
 */
export function readFileTool(api: GitHubApi): AnyToolSpec {
  return defineTool({
    name: 'github_read_file',
    description:
      'Read a file from a GitHub repository: numbered lines (the first 300 unless you give line_start / ' +
      'line_end), the total line count and how to read more. Use it on what github_find_examples found. ' +
      "Example: {repo: 'huggingface/trl', path: 'examples/scripts/sft.py', line_start: 1, line_end: 120}.",
    parameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args: Args, ctx) {
      const repo = parseRepo(args.repo);
      const path = args.path.replace(/^\/+/, '').replace(/\/+$/, '');
      if (path.split('/').some((part) => part === '..')) {
        throw new ToolInputError(`'${args.path}' climbs out of the repository; give a path inside it.`);
      }
      const at = args.ref ? ` at ${args.ref}` : '';
      const what = path ? `${path} in ${repoId(repo)}${at}` : `the top of ${repoId(repo)}${at}`;
      const notFoundHint = `Check the path (case-sensitive)${args.ref ? ' and the ref' : ''}, and that ${repoId(repo)} exists; a private repository also reads as not found without a GITHUB_TOKEN that can see it. github_find_examples lists the files that exist.`;
      const content = parseAnswer(
        contentSchema,
        await api.call({ what, notFoundHint }, ctx.signal, (octokit, request) =>
          octokit.rest.repos.getContent({
            owner: repo.owner,
            repo: repo.name,
            path,
            ...(args.ref ? { ref: args.ref } : {}),
            request,
          }),
        ),
        what,
      );
      if (Array.isArray(content)) return { output: formatDirectory(repo, path, content) };
      switch (content.type) {
        case 'file':
          return { output: await readFile(repo, content, args, ctx.signal, what, notFoundHint) };
        case 'symlink':
          return {
            output: `${content.path} in ${repoId(repo)} is a symbolic link to ${content.target ?? '(unknown target)'}; read that path instead.`,
          };
        case 'submodule':
          return {
            output: `${content.path} in ${repoId(repo)} is a git submodule (${content.submodule_git_url ?? 'another repository'} at ${content.sha ?? 'a pinned commit'}); read the file from that repository.`,
          };
        default:
          throw new ToolInputError(`${content.path} in ${repoId(repo)} is a ${content.type}, not a file.`);
      }
    },
  });

  async function readFile(
    repo: RepoName,
    file: FileContent,
    args: Args,
    signal: AbortSignal,
    what: string,
    notFoundHint: string,
  ): Promise<string> {
    let bytes: Buffer;
    if (file.encoding === 'base64' && file.content !== undefined) {
      bytes = Buffer.from(file.content, 'base64');
    } else {
      // Files of 1–100 MB come with `encoding: "none"` and no content: ask for the raw bytes.
      if ((file.size ?? 0) > MAX_RAW_BYTES) {
        throw new ToolInputError(
          `${file.path} is ${formatBytes(file.size ?? 0)}, too large to read here; clone the repository in a sandbox and read it there.`,
        );
      }
      const raw = await api.call({ what, notFoundHint }, signal, (octokit, request) =>
        octokit.rest.repos.getContent({
          owner: repo.owner,
          repo: repo.name,
          path: file.path,
          ...(args.ref ? { ref: args.ref } : {}),
          mediaType: { format: 'raw' },
          request,
        }),
      );
      bytes = rawBytes(raw);
    }
    const url = file.html_url ?? '';
    const text = decodeText(bytes);
    if (text === undefined) {
      return `${file.path} in ${repoId(repo)} is a binary file (${formatBytes(bytes.length)}); it has no lines to show.${url ? `\n${url}` : ''}`;
    }
    if (text.length === 0) return `${file.path} in ${repoId(repo)} is empty.${url ? `\n${url}` : ''}`;
    const slice = sliceLines(splitLines(text), args.line_start, args.line_end);
    const fence = fenceFor(slice.text);
    const header = [
      `**File:** ${file.path}`,
      `**Repo:** ${repoId(repo)}${args.ref ? ` (ref ${args.ref})` : ''}`,
      `**Lines:** ${slice.first}-${slice.last} of ${slice.total.toLocaleString('en')}`,
      ...(file.sha ? [`**SHA:** ${file.sha.slice(0, 12)}`] : []),
      ...(url ? [`**URL:** ${url}`] : []),
    ];
    const footer: string[] = [];
    if (slice.last < slice.total) {
      const why = slice.cutForSize ? ' (the rest of the range did not fit in one result)' : '';
      const next = {
        repo: repoId(repo),
        path: file.path,
        ...(args.ref ? { ref: args.ref } : {}),
        line_start: slice.last + 1,
        line_end: Math.min(slice.total, slice.last + 300),
      };
      footer.push(
        `Showing lines ${slice.first}-${slice.last} of ${slice.total.toLocaleString('en')}${why}. To read on: ${JSON.stringify(next)}`,
      );
    }
    const body = [...header, '', `${fence}`, slice.text, fence, ...(footer.length ? ['', ...footer] : [])];
    return trimOutput(body.join('\n'), undefined, 'ask for a narrower line range');
  }
}

function formatDirectory(
  repo: RepoName,
  path: string,
  entries: { type: string; name: string; path: string; size?: number | undefined }[],
): string {
  const sorted = [...entries].sort(
    (a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name),
  );
  const shown = sorted.slice(0, MAX_DIRECTORY_ENTRIES).map((entry) => {
    if (entry.type === 'dir') return `- ${entry.name}/`;
    const size = entry.type === 'file' && entry.size !== undefined ? ` (${formatBytes(entry.size)})` : '';
    return `- ${entry.name}${entry.type === 'file' ? '' : ` [${entry.type}]`}${size}`;
  });
  const more = sorted.length > shown.length ? `\n… and ${sorted.length - shown.length} more entries.` : '';
  const where = path || '(top level)';
  return trimOutput(
    `${where} in ${repoId(repo)} is a directory with ${entries.length} entries:\n\n${shown.join('\n')}${more}\n\nRead a file with github_read_file {repo: '${repoId(repo)}', path: '${path ? `${path}/` : ''}<name>'}.`,
  );
}

/** The raw media type comes back as text (with a charset) or as bytes (without one). */
function rawBytes(data: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(JSON.stringify(data ?? ''), 'utf8');
}
