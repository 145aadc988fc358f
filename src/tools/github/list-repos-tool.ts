import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ServiceError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import type { ToolServices } from '../tool-services.js';
import type { GitHubApi } from './github-api.js';
import { oneLine } from './github-format.js';
import { parseAnswer, repoSearchSchema } from './github-shapes.js';
import { parseOwner } from './repo-names.js';

/** The most-starred repositories say what an org is about; the long tail is noise for the model. */
const MAX_REPOS = 30;
const LIST_TTL_SECONDS = 3_600;

const parameters = z.object({
  owner: z
    .string()
    .trim()
    .min(1)
    .describe(
      "GitHub organization or user whose repositories to list ('huggingface', 'pytorch', 'karpathy').",
    ),
});

interface ListedRepos {
  total: number;
  /** `https://github.com`, or a GitHub Enterprise host: where the repositories' pages are. */
  site: string;
  repos: {
    fullName: string;
    stars: number;
    updated: string;
    language: string;
    description: string;
    archived: boolean;
  }[];
}

/**
 * `github_list_repos`: an org's or user's public repositories, most-starred first (the reference's
 * default), through `GET /search/repositories?q=user:<owner>&sort=stars` — one call for users and
 * orgs alike, where `/orgs/{org}/repos` would need paging through every repository to sort by stars.
 * Forks are left out, as GitHub's repository search does by default.
 */
export function listReposTool(services: ToolServices, api: GitHubApi): AnyToolSpec {
  return defineTool({
    name: 'github_list_repos',
    description:
      "List a GitHub organization's or user's repositories, most-starred first (name, stars, last update, " +
      'language, description), to find the library that has the examples you need. Then use ' +
      "github_find_examples {keyword, repo}. Example: {owner: 'huggingface'}.",
    parameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args: z.infer<typeof parameters>, ctx) {
      const owner = parseOwner(args.owner);
      const key = `github:repos:${services.github.url}:${owner.toLowerCase()}`;
      const listed = await services.cache.getOrLoad(key, LIST_TTL_SECONDS, () => load(owner, ctx.signal));
      return { output: format(owner, listed) };
    },
  });

  async function load(owner: string, signal: AbortSignal): Promise<ListedRepos> {
    const what = `the repositories of ${owner}`;
    let data: unknown;
    try {
      data = await api.call({ what }, signal, (octokit, request) =>
        octokit.rest.search.repos({
          q: `user:${owner}`,
          sort: 'stars',
          order: 'desc',
          per_page: MAX_REPOS,
          request,
        }),
      );
    } catch (err) {
      // GitHub's search answers 422 "cannot be searched … do not exist" for an unknown owner.
      if (err instanceof ServiceError && err.status === 422) {
        throw new ServiceError(
          `GitHub has no user or organization named '${owner}' (or cannot list its repositories). Check the spelling; the name is the one in github.com/<owner>.`,
          { status: 422, cause: err },
        );
      }
      throw err;
    }
    const answer = parseAnswer(repoSearchSchema, data, what);
    return {
      total: answer.total_count,
      site: siteOf(answer.items[0]?.html_url),
      repos: answer.items.map((item) => ({
        fullName: item.full_name,
        stars: item.stargazers_count,
        updated: (item.updated_at ?? item.pushed_at ?? '').slice(0, 10),
        language: item.language ?? '',
        description: item.description ?? '',
        archived: Boolean(item.archived),
      })),
    };
  }
}

function format(owner: string, listed: ListedRepos): string {
  if (listed.repos.length === 0) return `${owner} has no public repositories on GitHub (forks aside).`;
  const shown =
    listed.total > listed.repos.length ? `; the ${listed.repos.length} most-starred of ${listed.total}` : '';
  const lines = [
    `**Repositories of ${owner}** (by stars${shown}):`,
    '',
    '| Repo | Stars | Updated | Language | Description |',
    '| --- | ---: | --- | --- | --- |',
    ...listed.repos.map(
      (repo) =>
        `| ${repo.fullName}${repo.archived ? ' (archived)' : ''} | ${repo.stars.toLocaleString('en')} | ${repo.updated} | ${repo.language} | ${oneLine(repo.description, 90)} |`,
    ),
    '',
    `Pages: ${listed.site}/<repo>. Find examples in one with github_find_examples {keyword, repo: '${listed.repos[0]?.fullName ?? owner}'}.`,
  ];
  return trimOutput(lines.join('\n'), undefined, 'ask about one repository');
}

function siteOf(htmlUrl: string | undefined): string {
  try {
    return htmlUrl ? new URL(htmlUrl).origin : 'https://github.com';
  } catch {
    return 'https://github.com';
  }
}
