import type { Logger } from 'pino';
import type { JobControl } from '../agent/job-operations.js';
import { JobsApi } from '../tools/jobs/jobs-api.js';
import type { ServiceEndpoints } from '../tools/tool-services.js';

/** Cancels jobs through the Hub's Jobs API with the deployment's token (a job card's Cancel button). */
export function hubJobControl(hub: ServiceEndpoints['hub']): JobControl {
  return {
    cancel: async (namespace, jobId, signal) => {
      await new JobsApi(hub, { signal }).cancel(namespace, jobId);
    },
  };
}

/**
 * Cancels a job right away from the gateway (a card's Cancel click), when the gateway has a token.
 * Returns false when it could not (no token, or the Hub failed): the caller then queues the cancel
 * for a worker, whose attempt reports any failure in the thread.
 */
export async function cancelJobNow(
  hub: ServiceEndpoints['hub'],
  op: { namespace: string; jobId: string },
  logger: Pick<Logger, 'info' | 'warn'>,
  sessionId: string,
): Promise<boolean> {
  if (!hub.token) return false;
  try {
    await hubJobControl(hub).cancel(op.namespace, op.jobId, AbortSignal.timeout(15_000));
    logger.info({ sessionId, jobId: op.jobId }, 'job cancelled from its card');
    return true;
  } catch (err) {
    logger.warn({ err, sessionId, jobId: op.jobId }, 'job cancel failed; handing it to a worker');
    return false;
  }
}
