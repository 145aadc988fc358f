import type { Environment } from '../../config/environment.js';
import { ok, type Check, type CheckResult } from './check.js';
import { credentialCheck, statusFailure, type ServiceSpec } from './failure-hints.js';

/** A GET with a deadline; the JSON body when there is one. */
async function getJson(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers, signal });
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return {
    status: response.status,
    body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A 200 is the token accepted (`accepted` says by whom); another status is explained. */
async function tokenLine(
  spec: ServiceSpec,
  request: Promise<{ status: number; body: Record<string, unknown> }>,
  accepted: (body: Record<string, unknown>) => string,
): Promise<CheckResult> {
  const { status, body } = await request;
  if (status === 200) return ok(spec.name, accepted(body));
  return statusFailure(spec, status, text(body.error) ?? text(body.message));
}

/** Hugging Face: `GET {HF_ENDPOINT}/api/whoami-v2` with `HF_TOKEN`, as the jobs tools resolve their namespace. */
export function huggingFaceCheck(env: Environment): Check {
  const spec: ServiceSpec = {
    name: 'Hugging Face',
    tokenVar: 'HF_TOKEN',
    urlVar: 'HF_ENDPOINT',
    url: env.HF_ENDPOINT,
    tokenHelp: 'create a token (hf_…) at https://huggingface.co/settings/tokens and set HF_TOKEN',
  };
  return credentialCheck(
    spec,
    env.HF_TOKEN,
    'HF_TOKEN not set (optional: Hub access, jobs, pushes)',
    (token, signal) =>
      tokenLine(
        spec,
        getJson(`${env.HF_ENDPOINT}/api/whoami-v2`, { authorization: `Bearer ${token}` }, signal),
        (body) => {
          const auth = body.auth as { accessToken?: { role?: unknown } } | undefined;
          const role = text(auth?.accessToken?.role);
          return `HF_TOKEN accepted (${text(body.name) ?? '?'}${role ? `, token role ${role}` : ''})`;
        },
      ),
  );
}

/** GitHub: `GET {GITHUB_API_URL}/user` with `GITHUB_TOKEN` and the headers GitHub asks for. */
export function gitHubCheck(env: Environment): Check {
  const spec: ServiceSpec = {
    name: 'GitHub',
    tokenVar: 'GITHUB_TOKEN',
    urlVar: 'GITHUB_API_URL',
    url: env.GITHUB_API_URL,
    tokenHelp: 'create a token at https://github.com/settings/tokens and set GITHUB_TOKEN',
  };
  return credentialCheck(
    spec,
    env.GITHUB_TOKEN,
    'GITHUB_TOKEN not set (optional: code search; anonymous calls are rate limited)',
    (token, signal) => {
      const headers = {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'ml-intern-bot',
      };
      return tokenLine(
        spec,
        getJson(`${env.GITHUB_API_URL}/user`, headers, signal),
        (body) => `GITHUB_TOKEN accepted (${text(body.login) ?? '?'})`,
      );
    },
  );
}
