import { z } from 'zod';
import { HUB_SERVICE } from '../shared/hub-errors.js';
import { ServiceError } from '../shared/service-error.js';

/**
 * The JSON shapes of the plain-HTTP Hub endpoints the repo tools read, as `huggingface_hub`'s
 * `hf_api.py` and `community.py` read them (only the fields used here; the rest pass).
 */

const gitRef = z.object({ name: z.string(), ref: z.string(), targetCommit: z.string() });

/** `GET /api/{type}s/{repo}/refs[?include_prs=1]` (`list_repo_refs`). */
export const gitRefsAnswer = z.object({
  branches: z.array(gitRef),
  tags: z.array(gitRef),
  converts: z.array(gitRef).optional(),
  pullRequests: z.array(gitRef).optional(),
});

const author = z.object({ name: z.string() }).partial().optional();

const discussionSummary = z.object({
  num: z.number(),
  title: z.string(),
  status: z.string(),
  isPullRequest: z.boolean(),
  createdAt: z.string(),
  author,
});

/** `GET /api/{type}s/{repo}/discussions?p=` (`get_repo_discussions`: `count`, `start` page it). */
export const discussionsAnswer = z.object({
  discussions: z.array(discussionSummary),
  count: z.number(),
  start: z.number(),
});

/** One event of a discussion (`deserialize_event`): comment, commit, status-change, title-change. */
const discussionEvent = z.object({
  id: z.string(),
  type: z.string(),
  createdAt: z.string(),
  author,
  data: z.record(z.string(), z.unknown()).optional(),
});

/** `GET /api/{type}s/{repo}/discussions/{num}?diff=1` (`get_discussion_details`). */
export const discussionDetailsAnswer = discussionSummary.extend({
  events: z.array(discussionEvent),
  changes: z
    .object({ base: z.string().optional(), mergeCommitId: z.string().nullish() })
    .partial()
    .optional(),
  filesWithConflicts: z.array(z.string()).optional(),
  diff: z.string().nullish(),
});

/** `POST /api/{type}s/{repo}/discussions` answers the new number (`create_discussion` reads `num`). */
export const createdDiscussionAnswer = z.object({ num: z.number() });

/** `POST /api/repos/create` (`create_repo` reads `url`). */
export const createdRepoAnswer = z.object({ url: z.string(), name: z.string().optional() });

export type DiscussionEvent = z.infer<typeof discussionEvent>;
export type DiscussionDetails = z.infer<typeof discussionDetailsAnswer>;

/** `value` read with `schema`, or the malformed-answer error for `what`. */
export function readAnswer<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ServiceError(
    `${HUB_SERVICE.label} sent an answer that could not be read for ${what}; try again later.`,
  );
}
