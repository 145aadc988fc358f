import type { JobsApi } from '../../jobs/jobs-api.js';
import { SandboxClient } from './sandbox-client.js';
import { SandboxError } from './sandbox-errors.js';
import { getSandboxJob, isEnded, type SandboxJob } from './sandbox-jobs.js';
import {
  deriveSandboxToken,
  findServerUrl,
  isNonce,
  MODE_DEDICATED,
  MODE_LABEL,
  NONCE_LABEL,
  SANDBOX_LABEL,
} from './sandbox-protocol.js';

/** How often `/health` is polled while a sandbox boots, and the job re-read meanwhile. */
const HEALTH_POLL_MS = 250;
const JOB_POLL_MS = 2_000;

/**
 * The client of a sandbox job, as `Sandbox.connect` builds it: the job must carry the sandbox
 * labels, its nonce gives the token, its exposed URL the address (absent while it schedules).
 */
export function clientOf(job: SandboxJob, hfToken: string): SandboxClient | undefined {
  const labels = job.labels ?? {};
  const nonce = labels[NONCE_LABEL];
  if (labels[SANDBOX_LABEL] !== '1' || labels[MODE_LABEL] !== MODE_DEDICATED || !isNonce(nonce)) {
    throw new SandboxError(
      'sandbox_gone',
      `Job ${job.id} is not a dedicated sandbox (its ${SANDBOX_LABEL} / ${NONCE_LABEL} labels are missing).`,
    );
  }
  const url = findServerUrl(job.status.exposeUrls);
  return url === undefined ? undefined : new SandboxClient(url, hfToken, deriveSandboxToken(hfToken, nonce));
}

/**
 * Waits until the sandbox server answers `/health` (`_SandboxServer.wait_ready`): polls it, and
 * re-reads the job every couple of seconds to fail fast when it died, or to learn its URL. Throws a
 * SandboxError when the job ended or the deadline passed; the caller decides about the job.
 */
export async function waitUntilReady(
  api: JobsApi,
  start: SandboxJob,
  namespace: string,
  hfToken: string,
  deadlineMs: number,
  signal: AbortSignal,
): Promise<SandboxClient> {
  let job = start;
  let client = clientOf(job, hfToken);
  let lastJobRead = Date.now();
  while (Date.now() < deadlineMs) {
    if (client && (await client.healthy(signal))) return client;
    if (Date.now() - lastJobRead >= JOB_POLL_MS || client === undefined) {
      await sleep(client === undefined ? JOB_POLL_MS / 4 : 0, signal);
      lastJobRead = Date.now();
      job = await getSandboxJob(api, namespace, job.id);
      if (isEnded(job)) {
        const said = job.status.message ? `: ${job.status.message}` : '';
        throw new SandboxError(
          'sandbox_gone',
          `The sandbox job ${job.id} ended while starting (${job.status.stage}${said}).`,
        );
      }
      client = clientOf(job, hfToken);
      continue;
    }
    await sleep(HEALTH_POLL_MS, signal);
  }
  throw new SandboxError('sandbox_not_ready', `The sandbox job ${job.id} did not answer /health in time.`);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
