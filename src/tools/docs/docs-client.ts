import { callService, type ServiceInfo } from '../shared/service-client.js';
import type { ToolServices } from '../tool-services.js';

/** How the docs' failures read for the model. The docs are public, so a bad token is the usual 401. */
export const DOCS_SERVICE: ServiceInfo = {
  label: 'the Hugging Face docs',
  authHint: 'HF_TOKEN was refused: set it to a valid token, or unset it (the docs are public).',
  forbiddenHint: 'The token may not read this page; unset HF_TOKEN or use another token.',
  notFoundHint:
    'Check the URL: take page URLs from explore_hf_docs results (the page may have moved in a newer version).',
};

/** How the docs tools call the Hub; tests shorten the timeout. */
export interface DocsCallOptions {
  /** Per request; default 20 s. */
  timeoutMs?: number;
}

export interface DocsText {
  text: string;
  contentType: string;
}

/**
 * One GET of a docs file (an `llms.txt`, a page's `.md`) on `HF_ENDPOINT`, with `HF_TOKEN` when set
 * (the Hub counts an authenticated caller's requests against a larger quota).
 */
export async function fetchDocsText(
  services: Pick<ToolServices, 'hub'>,
  url: string,
  signal: AbortSignal,
  options: DocsCallOptions,
): Promise<DocsText> {
  const response = await callService(DOCS_SERVICE, url, {
    headers: { accept: 'text/markdown, text/plain;q=0.9, */*;q=0.5' },
    token: services.hub.token,
    signal,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { text: await response.text(), contentType: response.headers.get('content-type') ?? '' };
}
