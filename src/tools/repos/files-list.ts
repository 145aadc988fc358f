import { listFiles, type ListFileEntry } from '@huggingface/hub';
import { formatSize } from './format.js';
import { hubFetch, readCredentials, viaHubLibrary, type HubAccess } from './hub-access.js';
import { repoFolderPath } from './repo-path.js';
import {
  hubDesignation,
  pathSegments,
  repoLabel,
  repoLink,
  revisionSegment,
  type RepoRef,
} from './repo-ref.js';

/** More files than this are not listed in one result (a dataset can hold hundreds of thousands). */
export const LIST_MAX_FILES = 1_000;

/**
 * `list`: the tree under `path` at `revision`, recursive, through `@huggingface/hub`'s `listFiles`
 * (`GET /api/{type}s/{repo}/tree/{rev}/{path}?recursive=true`, following the `Link: rel="next"` pages).
 * Folders are implied by the file paths, so only files are shown, with sizes and LFS marks.
 */
export async function listRepoFiles(
  access: HubAccess,
  repo: RepoRef,
  args: { revision?: string | undefined; path?: string | undefined },
): Promise<string> {
  const revision = args.revision ?? 'main';
  const folder = repoFolderPath(args.path);
  const files: ListFileEntry[] = [];
  let more = false;
  await viaHubLibrary(access, `the files of ${repoLabel(repo)}`, async () => {
    const entries = listFiles({
      repo: hubDesignation(repo),
      recursive: true,
      ...(folder ? { path: pathSegments(folder) } : {}),
      // listFiles puts the revision in the path as given; `refs/pr/1` must arrive as one segment.
      revision: revisionSegment(revision),
      hubUrl: access.url,
      fetch: hubFetch(access),
      ...readCredentials(access),
    });
    for await (const entry of entries) {
      if (entry.type === 'directory') continue;
      if (files.length === LIST_MAX_FILES) {
        more = true;
        break;
      }
      files.push(entry);
    }
  });

  const scope = `at \`${revision}\`${folder ? `, folder \`${folder}\`` : ''}`;
  const link = repoLink(repo, 'tree', revisionSegment(revision), ...(folder ? [pathSegments(folder)] : []));
  if (files.length === 0) return `No files in ${repoLabel(repo)} ${scope}.\n${link}`;
  files.sort((a, b) => a.path.localeCompare(b.path));
  const total = files.reduce((sum, file) => sum + (file.lfs?.size ?? file.size), 0);
  const lines = files.map((file) => {
    const size = formatSize(file.lfs?.size ?? file.size);
    return `- ${file.path} (${size}${file.lfs ? ', LFS' : ''}${file.xetHash ? ', Xet' : ''})`;
  });
  const count = more
    ? `the first ${files.length} files`
    : `${files.length} file${files.length === 1 ? '' : 's'}`;
  const header = `**${repo.id}** (${repo.type}) ${scope}: ${count}, ${formatSize(total)}`;
  const footer = more
    ? `\n\nListing stopped at ${LIST_MAX_FILES} files; list one folder with \`path\` to see the rest.`
    : '';
  return `${header}\n${link}\n\n${lines.join('\n')}${footer}`;
}
