import { describeFlavor, findFlavor } from './hardware-catalog.js';
import type { HardwareCatalog } from './hardware-shapes.js';
import { formatUsd, jobCostSoFar, jobElapsedSeconds } from './cost.js';
import { INLINE_SCRIPT_PATH } from './job-program.js';
import { CALL_LABEL } from './call-label.js';
import type { JobInfo, ScheduledJobInfo } from './jobs-shapes.js';
import { formatDuration } from './timeout.js';

/** Links use the public Hub, whatever `HF_ENDPOINT` the requests go to. */
const PUBLIC_HUB = 'https://huggingface.co';

/** `https://huggingface.co/jobs/<namespace>/<id>`: the job's page (`JobInfo.url`). */
export function jobUrl(namespace: string, jobId: string): string {
  return `${PUBLIC_HUB}/jobs/${encodeURIComponent(namespace)}/${encodeURIComponent(jobId)}`;
}

/** The namespace a job belongs to: its owner, else the one it was asked in. */
export function jobNamespace(job: Pick<JobInfo, 'owner'>, fallback: string): string {
  return job.owner?.name || fallback;
}

/**
 * A command as a short line: an inline script launched by this tool reads as
 * `uv run --with trl <inline script, 2.1 kB>` rather than a wall of base64.
 */
export function commandSummary(command: readonly string[] | null | undefined, max = 90): string {
  if (!command || command.length === 0) return '(image default)';
  const shell = command[2];
  if (command.length === 3 && shell?.includes(INLINE_SCRIPT_PATH) && shell.includes('base64 -d')) {
    const encoded = /printf %s '([A-Za-z0-9+/=]*)'/.exec(shell)?.[1] ?? '';
    const bytes = Math.floor((encoded.length * 3) / 4);
    const uv = shell
      .slice(shell.indexOf('exec ') + 5)
      .replace(INLINE_SCRIPT_PATH, `<inline script, ${kilobytes(bytes)}>`);
    return shorten(uv, max);
  }
  return shorten(command.join(' '), max);
}

function kilobytes(bytes: number): string {
  return bytes < 1_000 ? `${bytes} B` : `${(bytes / 1_000).toFixed(1)} kB`;
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `2026-12-01 11:41 UTC`. */
export function formatTime(iso: string | null | undefined): string {
  const time = Date.parse(iso ?? '');
  if (!Number.isFinite(time)) return '—';
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A Markdown table of jobs, newest first, at most `limit` rows (the rest counted). */
export function formatJobsTable(jobs: readonly JobInfo[], limit: number): string {
  const rows = jobs.slice(0, limit).map((job) => {
    const mine = job.labels?.[CALL_LABEL] ? ' (intern)' : '';
    return `| ${job.id} | ${job.status.stage}${mine} | ${job.flavor ?? '—'} | ${formatTime(job.createdAt)} | ${cell(commandSummary(job.command, 60))} |`;
  });
  const more = jobs.length > limit ? `\n\n${jobs.length - limit} older jobs not shown.` : '';
  return (
    ['| job id | stage | flavor | created | command |', '| --- | --- | --- | --- | --- |', ...rows].join(
      '\n',
    ) + more
  );
}

/** One job in detail: stage, flavor, timing, cost so far, what runs, labels, the link. */
export function formatJobDetails(
  job: JobInfo,
  namespace: string,
  catalog: HardwareCatalog | undefined,
  now: Date = new Date(),
): string {
  const flavor = job.flavor && catalog ? findFlavor(catalog, job.flavor) : undefined;
  const elapsed = jobElapsedSeconds(job, now);
  const cost = jobCostSoFar(job, flavor, now);
  const envNames = Object.keys(job.environment ?? {});
  const secretNames = Array.isArray(job.secrets) ? job.secrets : Object.keys(job.secrets ?? {});
  const labels = Object.entries(job.labels ?? {}).map(([key, value]) => (value ? `${key}=${value}` : key));
  const lines = [
    `**Job ${job.id}**: ${job.status.stage}${job.status.message ? ` (${job.status.message})` : ''}`,
    `- URL: ${jobUrl(jobNamespace(job, namespace), job.id)}`,
    `- Flavor: ${job.flavor ?? '—'}${flavor ? ` (${describeFlavor(flavor)})` : ''}`,
    `- Image: ${job.dockerImage ?? (job.spaceId ? `space ${job.spaceId}` : '—')}`,
    `- Command: ${commandSummary(job.command, 300)}`,
    `- Created: ${formatTime(job.createdAt)}; started: ${formatTime(job.startedAt)}; finished: ${formatTime(job.finishedAt)}`,
  ];
  if (elapsed !== undefined) {
    const so = job.finishedAt ? '' : ' so far';
    lines.push(
      `- Ran${so}: ${formatDuration(elapsed)}${cost === undefined ? '' : `, about ${formatUsd(cost, 'nearest')}${so}`}`,
    );
  }
  if (job.timeoutSeconds) lines.push(`- Timeout: ${formatDuration(job.timeoutSeconds)}`);
  if (envNames.length) lines.push(`- Environment: ${envNames.join(', ')}`);
  if (secretNames.length) lines.push(`- Secrets: ${secretNames.join(', ')} (values never shown)`);
  if (labels.length) lines.push(`- Labels: ${labels.join(', ')}`);
  return lines.join('\n');
}

/** A scheduled job in one block. */
export function formatScheduledJob(job: ScheduledJobInfo): string {
  const spec = job.jobSpec;
  return [
    `**Scheduled job ${job.id}**: ${job.schedule ?? '—'}${job.suspend ? ' (suspended)' : ''}`,
    `- Flavor: ${spec.flavor ?? 'cpu-basic'}; timeout per run: ${spec.timeoutSeconds ? formatDuration(spec.timeoutSeconds) : 'default'}`,
    `- Image: ${spec.dockerImage ?? (spec.spaceId ? `space ${spec.spaceId}` : '—')}`,
    `- Command: ${commandSummary(spec.command, 300)}`,
    `- Last run: ${job.status?.lastJob ? `job ${job.status.lastJob.id} at ${formatTime(job.status.lastJob.at)}` : 'none yet'}`,
    `- Next run: ${formatTime(job.status?.nextJobRunAt)}`,
  ].join('\n');
}

/** A Markdown table of scheduled jobs. */
export function formatScheduledTable(jobs: readonly ScheduledJobInfo[], limit: number): string {
  const rows = jobs
    .slice(0, limit)
    .map(
      (job) =>
        `| ${job.id} | ${cell(job.schedule ?? '—')} | ${job.suspend ? 'suspended' : 'active'} | ${job.jobSpec.flavor ?? 'cpu-basic'} | ${formatTime(job.status?.nextJobRunAt)} | ${cell(commandSummary(job.jobSpec.command, 50))} |`,
    );
  const more = jobs.length > limit ? `\n\n${jobs.length - limit} more not shown.` : '';
  return (
    [
      '| scheduled job id | schedule | state | flavor | next run | command |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n') + more
  );
}
