import type { ServiceInfo } from '../shared/service-client.js';
import type { ToolServices } from '../tool-services.js';

/** What every operation of `hf_papers` gets: the services and the per-request timeout. */
export interface PapersDeps {
  services: ToolServices;
  /** Per-request timeout; undefined keeps each service's default (tests pass a short one). */
  timeoutMs: number | undefined;
}

export interface PapersToolOptions {
  /** Per-request timeout in ms for the Hub, arXiv and Semantic Scholar. */
  timeoutMs?: number;
}

/** The Hub's papers API: public, so a refused token is a token to fix or drop. */
export const HUB_PAPERS_SERVICE: ServiceInfo = {
  label: 'the Hugging Face Hub',
  authHint: 'HF_TOKEN was refused: set it to a valid token, or unset it (papers are public).',
  forbiddenHint: 'HF_TOKEN lacks the permission; papers are public, so unsetting HF_TOKEN also works.',
  notFoundHint:
    'The paper is not on Hugging Face Papers (not every arXiv paper is indexed there): check the id, or use ' +
    'read_paper and citation_graph, which read arXiv and Semantic Scholar directly.',
};

export const ARXIV_SERVICE: ServiceInfo = {
  label: 'arXiv',
  notFoundHint: 'Check the arXiv id.',
};

export const SEMANTIC_SCHOLAR_SERVICE: ServiceInfo = {
  label: 'Semantic Scholar',
  authHint: 'SEMANTIC_SCHOLAR_API_KEY was refused: check it, or unset it to use the shared keyless limit.',
  forbiddenHint:
    'SEMANTIC_SCHOLAR_API_KEY was refused: check it, or unset it to use the shared keyless limit.',
  notFoundHint:
    'Semantic Scholar does not know this paper (a new arXiv paper takes a few days to appear there); check the id.',
};

/** Links in results always use the public sites, whatever URL the requests went to. */
export const PUBLIC_HUB = 'https://huggingface.co';
export const PUBLIC_ARXIV = 'https://arxiv.org';

export const paperPageUrl = (bareId: string): string => `${PUBLIC_HUB}/papers/${bareId}`;
export const arxivAbsUrl = (id: string): string => `${PUBLIC_ARXIV}/abs/${id}`;
export const arxivPdfUrl = (id: string): string => `${PUBLIC_ARXIV}/pdf/${id}`;
