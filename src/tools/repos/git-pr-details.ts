import { fenced, oneLine, shortOid } from './format.js';
import type { DiscussionDetails, DiscussionEvent } from './hub-answers.js';
import { repoLabel, repoLink, type RepoRef } from './repo-ref.js';

/** A comment longer than this is cut in the details (the page has it whole). */
const COMMENT_CHARS = 1_200;
/** The diff's share of a result; the rest is for the conversation. */
const DIFF_CHARS = 3_000;

/** `get_pr`'s result: the header, the conversation (comments, commits, status changes) and the diff. */
export function formatDiscussionDetails(repo: RepoRef, d: DiscussionDetails): string {
  const kind = d.isPullRequest ? 'Pull request' : 'Discussion';
  const link = repoLink(repo, 'discussions', String(d.num));
  const facts = [
    `status ${d.status}`,
    `by ${d.author?.name ?? 'deleted'}`,
    `opened ${d.createdAt.slice(0, 10)}`,
    ...(d.isPullRequest && d.changes?.base
      ? [`into \`${d.changes.base.replace(/^refs\/heads\//, '')}\``]
      : []),
    ...(d.changes?.mergeCommitId ? [`merged as ${shortOid(d.changes.mergeCommitId)}`] : []),
  ];
  const lines = [`**${kind} #${d.num}** on ${repoLabel(repo)}: ${oneLine(d.title)}`, facts.join(' · '), link];
  if (d.filesWithConflicts?.length) lines.push(`Conflicting files: ${d.filesWithConflicts.join(', ')}`);
  lines.push('', `Events (${d.events.length}):`, ...d.events.map(describeEvent));
  if (d.isPullRequest) {
    if (d.diff) {
      const diff =
        d.diff.length > DIFF_CHARS
          ? `${d.diff.slice(0, DIFF_CHARS)}\n… (diff cut; the page shows all of it)`
          : d.diff;
      lines.push('', 'Diff:', fenced(diff, 'diff'));
    }
    if (d.status === 'open' || d.status === 'draft') {
      lines.push('', `Add commits with hf_repo_files upload, revision "refs/pr/${d.num}".`);
    }
  }
  return lines.join('\n');
}

function describeEvent(event: DiscussionEvent): string {
  const who = event.author?.name ?? 'deleted';
  const when = event.createdAt.slice(0, 10);
  const data = event.data ?? {};
  switch (event.type) {
    case 'comment': {
      if (data.hidden === true) return `- ${when} ${who}: (hidden comment)`;
      const latest = data.latest as { raw?: unknown } | undefined;
      const raw = typeof latest?.raw === 'string' ? latest.raw.trim() : '';
      if (!raw) return `- ${when} ${who} commented (no text)`;
      const text = raw.length > COMMENT_CHARS ? `${raw.slice(0, COMMENT_CHARS)}…` : raw;
      return `- ${when} ${who} commented:\n${text.replace(/^/gm, '  > ')}`;
    }
    case 'commit':
      return `- ${when} ${who} committed ${shortOid(str(data.oid))}: ${oneLine(str(data.subject) ?? '', 120)}`;
    case 'status-change':
      return `- ${when} ${who} set the status to ${str(data.status) ?? '?'}`;
    case 'title-change':
      return `- ${when} ${who} renamed it to "${oneLine(str(data.to) ?? '', 120)}"`;
    default:
      return `- ${when} ${who}: ${event.type}`;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
