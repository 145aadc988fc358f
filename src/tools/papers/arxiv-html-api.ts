import { callService } from '../shared/service-client.js';
import { ServiceError } from '../shared/service-error.js';
import { parsePaperHtml, type ParsedPaper } from './arxiv-html-parser.js';
import { ARXIV_SERVICE, type PapersDeps } from './papers-deps.js';

/** A parsed paper is read section by section over several calls: keep it for a day. */
const CACHE_TTL_SECONDS = 24 * 3600;
/** Whole papers are large; give arXiv longer than an API call. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The paper from `${ARXIV_URL}/html/<id>` (the id without a version serves the latest one),
 * parsed, or undefined when arXiv has no HTML for it (a 404: the conversion failed, or the paper
 * predates HTML). Any other failure is thrown.
 */
export async function fetchPaperHtml(
  deps: PapersDeps,
  id: string,
  signal: AbortSignal,
): Promise<ParsedPaper | undefined> {
  try {
    // A load that throws is not cached: "no HTML" is asked again next time, in case it appears.
    return await deps.services.cache.getOrLoad(`papers:arxiv-html:${id}`, CACHE_TTL_SECONDS, async () => {
      const response = await callService(ARXIV_SERVICE, `${deps.services.arxiv.url}/html/${id}`, {
        signal,
        timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
      return parsePaperHtml(await response.text());
    });
  } catch (err) {
    if (err instanceof ServiceError && err.status === 404) return undefined;
    throw err;
  }
}
