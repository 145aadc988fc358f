import { HTTPError } from 'ky';
import { HUB_SERVICE } from '../shared/hub-errors.js';
import { callService } from '../shared/service-client.js';

/**
 * What the Hub says about the token's access to a dataset. The viewer answers the same 404/401 for
 * a gated dataset, a private one and one that does not exist (libapi/authentication.py), so when it
 * refuses, the tool asks the Hub the question the viewer asked: `GET /api/datasets/{id}/auth-check`
 * (HfApi.auth_check), whose `X-Error-Code` tells a gate (`GatedRepo`, 401 or 403) from a repo that
 * is missing or hidden (`RepoNotFound`, 401 or 404), and whose `X-Error-Message` names a bad token.
 */
export type HubAccess = 'granted' | 'gated' | 'not-found' | 'bad-token' | 'forbidden' | 'unknown';

export async function hubDatasetAccess(
  hub: { url: string; token?: string | undefined },
  dataset: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<HubAccess> {
  const url = `${hub.url.replace(/\/+$/, '')}/api/datasets/${dataset}/auth-check`;
  try {
    await callService(HUB_SERVICE, url, { token: hub.token, signal, timeoutMs });
    return 'granted';
  } catch (err) {
    const http = err instanceof Error && err.cause instanceof HTTPError ? err.cause : undefined;
    if (!http) return 'unknown';
    const status = http.response.status;
    const code = http.response.headers.get('x-error-code');
    const said = http.response.headers.get('x-error-message') ?? '';
    if (code === 'GatedRepo') return 'gated';
    // huggingface_hub's hf_raise_for_status singles this message out: the token itself was refused.
    if (status === 401 && /invalid credentials/i.test(said)) return 'bad-token';
    if (code === 'RepoNotFound' || status === 401 || status === 404) return 'not-found';
    // A 403 without the gate's code: the token is valid but may not read this repo (fine-grained).
    if (status === 403) return 'forbidden';
    return 'unknown';
  }
}
