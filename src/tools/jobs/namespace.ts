import { createHash } from 'node:crypto';
import { ServiceError } from '../shared/service-error.js';
import type { ToolCache } from '../shared/tool-cache.js';
import type { JobsApi } from './jobs-api.js';
import type { JobsConfig } from './jobs-config.js';
import type { WhoAmI } from './jobs-shapes.js';

/** The token owner changes only when the token does; one lookup an hour per token is plenty. */
const WHOAMI_CACHE_SECONDS = 3_600;

/**
 * The namespace jobs run under (DESIGN.md): `jobs.namespace`, else the token owner's name from
 * `GET /api/whoami-v2` (cached in Redis under a hash of the token, never the token). A configured
 * namespace that is neither the owner nor one of their orgs is refused before any launch.
 */
export async function jobsNamespace(
  api: JobsApi,
  cache: ToolCache,
  jobs: Pick<JobsConfig, 'namespace'>,
): Promise<string> {
  const token = api.token();
  const tokenKey = createHash('sha256').update(token).digest('hex').slice(0, 16);
  const owner = await cache.getOrLoad<WhoAmI>(`jobs:whoami:${tokenKey}`, WHOAMI_CACHE_SECONDS, () =>
    api.whoami(),
  );
  const allowed = [owner.name, ...(owner.orgs ?? []).map((org) => org.name)];
  const configured = jobs.namespace.trim();
  if (!configured) return owner.name;
  if (allowed.some((name) => name.toLowerCase() === configured.toLowerCase())) return configured;
  throw new ServiceError(
    `HF_TOKEN cannot use the jobs namespace "${configured}" (config jobs.namespace): the token belongs to ${owner.name}, who can run jobs only under ${allowed.map((n) => `"${n}"`).join(', ')}. Ask the operator to set jobs.namespace to one of them (or leave it empty for "${owner.name}"), or to use a token of a member of "${configured}".`,
    { status: 403 },
  );
}
