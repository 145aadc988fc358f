import { z } from 'zod';
import { ServiceError } from '../shared/service-error.js';

/**
 * The parts of GitHub's REST answers the tools read (docs.github.com/rest: repos, git trees, search,
 * contents), checked at the edge so that a malformed answer reads as one clear error, not a crash.
 */

export const repoSchema = z.object({
  full_name: z.string(),
  html_url: z.string(),
  default_branch: z.string(),
});

/** `GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1`: blobs carry a `size`, trees do not. */
export const treeSchema = z.object({
  tree: z.array(
    z.object({
      path: z.string(),
      type: z.string(),
      size: z.number().optional(),
    }),
  ),
  truncated: z.boolean().optional(),
});

/** `GET /search/code` (with the text-match media type, `text_matches` carries the fragments). */
export const codeSearchSchema = z.object({
  total_count: z.number(),
  incomplete_results: z.boolean().optional(),
  items: z.array(
    z.object({
      path: z.string(),
      html_url: z.string(),
      repository: z.object({ full_name: z.string() }),
      text_matches: z.array(z.object({ fragment: z.string().optional() })).optional(),
    }),
  ),
});

/** `GET /search/repositories`. */
export const repoSearchSchema = z.object({
  total_count: z.number(),
  items: z.array(
    z.object({
      full_name: z.string(),
      html_url: z.string(),
      description: z.string().nullable().optional(),
      stargazers_count: z.number(),
      updated_at: z.string().nullable().optional(),
      pushed_at: z.string().nullable().optional(),
      language: z.string().nullable().optional(),
      archived: z.boolean().optional(),
      fork: z.boolean().optional(),
    }),
  ),
});

const contentEntrySchema = z.object({
  type: z.string(),
  name: z.string(),
  path: z.string(),
  size: z.number().optional(),
  sha: z.string().optional(),
  html_url: z.string().nullable().optional(),
});

/**
 * `GET /repos/{owner}/{repo}/contents/{path}`: an object for a file (base64 `content` and
 * `encoding`; `encoding: "none"` and no content for files of 1–100 MB), a symlink (`target`) or a
 * submodule (`submodule_git_url`); an array of entries for a directory.
 */
export const contentSchema = z.union([
  z.array(contentEntrySchema),
  contentEntrySchema.extend({
    content: z.string().optional(),
    encoding: z.string().optional(),
    target: z.string().optional(),
    submodule_git_url: z.string().optional(),
  }),
]);

/** The answer parsed with `schema`, or a ServiceError naming what GitHub sent for `what`. */
export function parseAnswer<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const kind = typeof data === 'string' ? `${data.length} characters of text` : 'an unexpected JSON shape';
  throw new ServiceError(
    `GitHub sent an answer this tool cannot read for ${what} (${kind}); try again later.`,
  );
}
