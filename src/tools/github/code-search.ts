import { ServiceError } from '../shared/service-error.js';
import type { ExampleCandidate } from './example-ranking.js';
import type { GitHubApi } from './github-api.js';
import { codeSearchSchema, parseAnswer, repoSearchSchema } from './github-shapes.js';

/** Enough hits to rank examples/ and scripts/ first; GitHub allows 100 a page. */
const CODE_SEARCH_PAGE = 50;

export interface CodeSearchResult {
  total: number;
  incomplete: boolean;
  hits: ExampleCandidate[];
}

/**
 * `GET /search/code?q=<keyword> repo:<owner/name>|org:<owner>` with the text-match media type, so
 * each hit carries the line that matched. GitHub answers 401 without a token: callers only search
 * code when GITHUB_TOKEN is set.
 */
export async function searchCode(
  api: GitHubApi,
  keyword: string,
  scope: { repo: string } | { owner: string },
  signal: AbortSignal,
): Promise<CodeSearchResult> {
  if ('repo' in scope) return codeSearchPage(api, keyword, `repo:${scope.repo}`, scope.repo, signal);
  try {
    return await codeSearchPage(api, keyword, `org:${scope.owner}`, scope.owner, signal);
  } catch (err) {
    // `org:` names organizations only; GitHub answers 422 for a user, whose code `user:` finds.
    if (err instanceof ServiceError && err.status === 422) {
      return codeSearchPage(api, keyword, `user:${scope.owner}`, scope.owner, signal);
    }
    throw err;
  }
}

async function codeSearchPage(
  api: GitHubApi,
  keyword: string,
  qualifier: string,
  where: string,
  signal: AbortSignal,
): Promise<CodeSearchResult> {
  const what = `code search for '${keyword}' in ${where}`;
  const data = parseAnswer(
    codeSearchSchema,
    await api.call({ what }, signal, (octokit, request) =>
      octokit.rest.search.code({
        q: `${keyword} ${qualifier}`,
        per_page: CODE_SEARCH_PAGE,
        mediaType: { format: 'text-match' },
        request,
      }),
    ),
    what,
  );
  return {
    total: data.total_count,
    incomplete: Boolean(data.incomplete_results),
    hits: data.items.map((item, index) => ({
      repo: item.repository.full_name,
      path: item.path,
      url: item.html_url,
      fragment: matchingLine(item.text_matches?.[0]?.fragment, keyword),
      contentMatch: true,
      order: index,
    })),
  };
}

export interface RepoSuggestion {
  fullName: string;
  url: string;
  stars: number;
  description: string;
}

/** `GET /search/repositories?q=<words> user:<owner>` by stars: repositories worth a closer look. */
export async function suggestRepos(
  api: GitHubApi,
  words: string,
  owner: string,
  signal: AbortSignal,
  limit = 8,
): Promise<RepoSuggestion[]> {
  const what = `repository search for '${words}' in ${owner}`;
  const data = parseAnswer(
    repoSearchSchema,
    await api.call({ what }, signal, (octokit, request) =>
      octokit.rest.search.repos({
        q: `${words} user:${owner}`,
        sort: 'stars',
        order: 'desc',
        per_page: limit,
        request,
      }),
    ),
    what,
  );
  return data.items.map((item) => ({
    fullName: item.full_name,
    url: item.html_url,
    stars: item.stargazers_count,
    description: item.description ?? '',
  }));
}

/** The line of a text-match fragment where the keyword shows, cut to one readable line. */
function matchingLine(fragment: string | undefined, keyword: string): string | undefined {
  if (!fragment) return undefined;
  const lines = fragment.split('\n').map((line) => line.trim());
  const term = keyword.toLowerCase().split(/\s+/)[0] ?? '';
  const line = lines.find((candidate) => candidate.toLowerCase().includes(term)) ?? lines.find(Boolean);
  if (!line) return undefined;
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
}
