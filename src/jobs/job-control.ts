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
