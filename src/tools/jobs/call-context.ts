import { ToolInputError } from '../shared/service-error.js';
import type { ToolServices } from '../tool-services.js';
import type { JobsApi } from './jobs-api.js';
import type { JobsConfig, LogListenOptions } from './jobs-config.js';
import { jobsNamespace } from './namespace.js';

/** What one `hf_jobs` call works with: the API on the turn's signal, the config, and its namespace. */
export interface JobsCall {
  api: JobsApi;
  services: ToolServices;
  jobs: JobsConfig;
  logs: LogListenOptions;
  toolCallId: string;
  signal: AbortSignal;
  /** The jobs namespace, looked up once per call. */
  namespace(): Promise<string>;
}

export function jobsCall(fields: Omit<JobsCall, 'namespace'>): JobsCall {
  let namespace: Promise<string> | undefined;
  return {
    ...fields,
    namespace: () => (namespace ??= jobsNamespace(fields.api, fields.services.cache, fields.jobs)),
  };
}

/** A job or scheduled-job id from the model, checked before it goes into a URL path. */
export function requireId(
  value: string | undefined,
  field: 'job_id' | 'scheduled_job_id',
  operation: string,
): string {
  const id = value?.trim();
  const lister = field === 'job_id' ? 'ps' : 'scheduled ps';
  if (!id) throw new ToolInputError(`${operation} needs ${field} (\`${lister}\` lists them).`);
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) {
    throw new ToolInputError(
      `${field} ${JSON.stringify(id)} is not an id: ids are letters and digits like 6650c6b2f1d2a1b3c4d5e6f7 (\`${lister}\` lists them).`,
    );
  }
  return id;
}
