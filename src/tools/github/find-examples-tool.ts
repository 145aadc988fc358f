import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ServiceError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import type { ToolServices } from '../tool-services.js';
import { searchCode, suggestRepos, type RepoSuggestion } from './code-search.js';
import {
  exampleArea,
  isExampleFile,
  pathMatch,
  rankExamples,
  type ExampleCandidate,
} from './example-ranking.js';
import type { GitHubApi } from './github-api.js';
import { formatBytes, formatSuggestions } from './github-format.js';
import { parseOwner, parseRepo, repoId, type RepoName } from './repo-names.js';
import { loadRepoTree, type RepoTree } from './repo-tree.js';

const MAX_SHOWN = 20;
const DEFAULT_ORG = 'huggingface';

const parameters = z.object({
  repo: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      "Repository to look in: a name in `org` ('trl') or owner/name ('huggingface/trl'). Without it, " +
        'code search runs across the whole org (that needs GITHUB_TOKEN).',
    ),
  keyword: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe(
      "What to find examples of: a method, class, argument or task ('grpo', 'sft', 'dataset_text_field', 'image classification').",
    ),
  org: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(`GitHub organization or user (default '${DEFAULT_ORG}').`),
});

type Args = z.infer<typeof parameters>;

/**
 * The reference agent's `github_find_examples`: working example scripts for a library, so the model
 * writes code against today's API rather than its memory of it. In a repository it matches the
 * keyword against every file path of the default branch (works without a token) and, with
 * GITHUB_TOKEN, against contents through code search; across an org it runs code search (GitHub
 * requires a token for it) or, without one, names the org's repositories that match.
 */
export function findExamplesTool(services: ToolServices, api: GitHubApi): AnyToolSpec {
  return defineTool({
    name: 'github_find_examples',
    description:
      'Find working example scripts on GitHub for a library or keyword (files in examples/ and scripts/ ' +
      'folders first, then notebooks, tutorials and the rest), each with its repo, path and URL. Use it ' +
      'before writing training, fine-tuning or inference code: your memory of library APIs is outdated, ' +
      'the examples show current usage. Then read the best hit with github_read_file.\n' +
      "Examples: {keyword: 'sft', repo: 'trl'} → examples/scripts/sft.py; {keyword: 'grpo'} searches the " +
      "huggingface org; {keyword: 'lora', repo: 'peft'}.",
    parameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args: Args, ctx) {
      const org = parseOwner(args.org ?? DEFAULT_ORG);
      const keyword = args.keyword;
      if (args.repo) return { output: await examplesInRepo(parseRepo(args.repo, org), keyword, ctx.signal) };
      if (!api.hasToken) return { output: await reposWithoutToken(org, keyword, ctx.signal) };
      const found = await searchCode(api, keyword, { owner: org }, ctx.signal);
      const ranked = rankExamples(
        found.hits.filter((hit) => isExampleFile(hit.path)),
        keyword,
      );
      if (ranked.length === 0) {
        return {
          output: `No files in ${org} match '${keyword}' on GitHub code search. Try another keyword, or name a repo to match file paths.`,
        };
      }
      const notes = found.total > found.hits.length ? [`GitHub found ${found.total} files in all.`] : [];
      return { output: formatExamples(`in ${org}`, keyword, ranked, true, notes) };
    },
  });

  async function examplesInRepo(repo: RepoName, keyword: string, signal: AbortSignal): Promise<string> {
    let tree: RepoTree;
    try {
      tree = await loadRepoTree(api, services.cache, services.github.url, repo, signal);
    } catch (err) {
      if (err instanceof ServiceError && err.status === 404) throw await notFound(repo, err, signal);
      throw err;
    }
    const pathHits: ExampleCandidate[] = tree.files
      .filter((file) => isExampleFile(file.path) && pathMatch(file.path, keyword) > 0)
      .map((file) => ({
        repo: tree.fullName,
        path: file.path,
        size: file.size,
        url: blobUrl(tree, file.path),
      }));
    const notes: string[] = [];
    let contentHits: ExampleCandidate[] = [];
    if (api.hasToken) {
      try {
        const found = await searchCode(api, keyword, { repo: tree.fullName }, signal);
        const sizes = new Map(tree.files.map((file) => [file.path, file.size]));
        contentHits = found.hits
          .filter((hit) => isExampleFile(hit.path))
          .map((hit) => ({ ...hit, size: sizes.get(hit.path), url: blobUrl(tree, hit.path) }));
      } catch (err) {
        if (!(err instanceof ServiceError) || signal.aborted) throw err;
        notes.push(`File contents were not searched: ${err.message}`);
      }
    } else {
      notes.push('Only file paths were matched; with GITHUB_TOKEN set, file contents are searched too.');
    }
    if (tree.truncated) {
      notes.push('GitHub cut the file list of this large repository, so some files may be missing.');
    }
    const ranked = rankExamples([...pathHits, ...contentHits], keyword);
    if (ranked.length === 0) return noMatch(tree, keyword, notes);
    return formatExamples(`in ${tree.fullName}`, keyword, ranked, false, notes);
  }

  /** Without a token GitHub refuses code search: point at the org's repositories that match. */
  async function reposWithoutToken(org: string, keyword: string, signal: AbortSignal): Promise<string> {
    const repos = await suggestRepos(api, keyword, org, signal);
    const intro =
      `Searching code across ${org} needs GITHUB_TOKEN (GitHub's code search requires a token); set it to search all of ${org}. ` +
      'Without it, name a repository: its file paths are matched without a token.';
    if (repos.length === 0) {
      return `${intro}\n\nNo repository of ${org} mentions '${keyword}' in its name or description; try github_list_repos {owner: '${org}'} to pick one.`;
    }
    const example = repos[0]?.fullName ?? `${org}/<repo>`;
    return trimOutput(
      `${intro}\n\n**Repositories of ${org} matching '${keyword}':**\n\n${formatSuggestions(repos)}\n\n` +
        `Next: github_find_examples {keyword: '${keyword}', repo: '${example}'}.`,
    );
  }

  async function notFound(repo: RepoName, err: ServiceError, signal: AbortSignal): Promise<ServiceError> {
    let similar: RepoSuggestion[] = [];
    try {
      similar = await suggestRepos(api, repo.name, repo.owner, signal, 5);
    } catch {
      // The suggestions are a courtesy; the not-found message stands without them.
    }
    if (similar.length === 0) return err;
    return new ServiceError(
      `Repository ${repoId(repo)} was not found on GitHub. Similar repositories of ${repo.owner}:\n${formatSuggestions(similar)}`,
      { status: 404, cause: err },
    );
  }
}

function formatExamples(
  where: string,
  keyword: string,
  ranked: ExampleCandidate[],
  showRepo: boolean,
  notes: string[],
): string {
  const shown = ranked.slice(0, MAX_SHOWN);
  const more =
    ranked.length > shown.length
      ? ` (showing ${shown.length} of ${ranked.length}; add words to the keyword to narrow)`
      : '';
  const lines = [
    `**Found ${ranked.length} file${ranked.length === 1 ? '' : 's'} ${where} matching '${keyword}'** (examples/ and scripts/ first)${more}:`,
    '',
  ];
  shown.forEach((hit, index) => {
    const facts = [showRepo ? hit.repo : undefined, hit.size ? formatBytes(hit.size) : undefined]
      .filter(Boolean)
      .join(' · ');
    lines.push(`${index + 1}. **${hit.path}**${facts ? ` · ${facts}` : ''}`);
    lines.push(`   ${hit.url}`);
    if (hit.fragment) lines.push(`   > \`${hit.fragment.replace(/`/g, "'")}\``);
  });
  const first = shown[0];
  if (first) {
    lines.push('', `Read one with github_read_file, e.g. {repo: '${first.repo}', path: '${first.path}'}.`);
  }
  if (notes.length > 0) lines.push('', ...notes.map((note) => `Note: ${note}`));
  return trimOutput(lines.join('\n'), undefined, 'add words to the keyword to narrow the list');
}

/** Nothing matched: name the example folders the repository does have, so the next call can aim. */
function noMatch(tree: RepoTree, keyword: string, notes: string[]): string {
  const folders = new Map<string, number>();
  for (const file of tree.files) {
    if (exampleArea(file.path) === 2 || !isExampleFile(file.path)) continue;
    const folder = file.path.split('/').slice(0, 2).join('/');
    const key = folder === file.path ? '.' : folder;
    folders.set(key, (folders.get(key) ?? 0) + 1);
  }
  const listed = [...folders.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([folder, count]) => `- ${folder}/ (${count} files)`);
  const lines = [`No file of ${tree.fullName} matches '${keyword}' in its path.`];
  if (listed.length > 0) lines.push('', 'Its example folders:', ...listed);
  lines.push('', 'Try a shorter or different keyword (a method name like sft, dpo, lora).');
  if (notes.length > 0) lines.push('', ...notes.map((note) => `Note: ${note}`));
  return trimOutput(lines.join('\n'));
}

function blobUrl(tree: RepoTree, path: string): string {
  const encode = (text: string): string => text.split('/').map(encodeURIComponent).join('/');
  return `${tree.htmlUrl}/blob/${encode(tree.branch)}/${encode(path)}`;
}
