import type { Logger } from 'pino';
import {
  DEFAULT_ARXIV_URL,
  DEFAULT_GITHUB_API_URL,
  DEFAULT_HF_DATASETS_SERVER_URL,
  DEFAULT_HF_ENDPOINT,
  DEFAULT_SEMANTIC_SCHOLAR_API_URL,
  DEFAULT_WEB_SEARCH_URL,
  type Environment,
} from '../config/environment.js';
import type { ToolCache } from './shared/tool-cache.js';

/**
 * Where the tools' services are and with which credentials (DESIGN.md's environment table), plus
 * the shared cache and logger. Built once by the composition root; every URL is configurable, so
 * tests point each one at a loopback fake.
 */
export interface ServiceEndpoints {
  /** `HF_ENDPOINT` and `HF_TOKEN`: every Hub call, docs included. */
  hub: { url: string; token?: string | undefined };
  /** `HF_DATASETS_SERVER_URL`: the dataset viewer API. */
  datasetsServer: { url: string };
  /** `GITHUB_API_URL` and `GITHUB_TOKEN`. */
  github: { url: string; token?: string | undefined };
  /** `SEMANTIC_SCHOLAR_API_URL` and the optional `SEMANTIC_SCHOLAR_API_KEY`. */
  semanticScholar: { url: string; key?: string | undefined };
  /** `ARXIV_URL`: papers' HTML at `/html/<id>`. */
  arxiv: { url: string };
  /** `WEB_SEARCH_URL` (keyless HTML page); Exa's API when `EXA_API_KEY` is set. */
  webSearch: { url: string; exa?: { url: string; key: string } | undefined };
}

export interface ToolServices extends ServiceEndpoints {
  cache: ToolCache;
  logger: Logger;
}

/** The endpoints of DESIGN.md's environment, defaults applied. */
export function endpointsFrom(environment: Environment): ServiceEndpoints {
  return {
    hub: { url: environment.HF_ENDPOINT, token: environment.HF_TOKEN },
    datasetsServer: { url: environment.HF_DATASETS_SERVER_URL },
    github: { url: environment.GITHUB_API_URL, token: environment.GITHUB_TOKEN },
    semanticScholar: { url: environment.SEMANTIC_SCHOLAR_API_URL, key: environment.SEMANTIC_SCHOLAR_API_KEY },
    arxiv: { url: environment.ARXIV_URL },
    webSearch: {
      url: environment.WEB_SEARCH_URL,
      exa: environment.EXA_API_KEY
        ? { url: environment.EXA_API_URL, key: environment.EXA_API_KEY }
        : undefined,
    },
  };
}

/** The public services with no credentials: what an app gets when the composition root names none. */
export const PUBLIC_ENDPOINTS: ServiceEndpoints = {
  hub: { url: DEFAULT_HF_ENDPOINT },
  datasetsServer: { url: DEFAULT_HF_DATASETS_SERVER_URL },
  github: { url: DEFAULT_GITHUB_API_URL },
  semanticScholar: { url: DEFAULT_SEMANTIC_SCHOLAR_API_URL },
  arxiv: { url: DEFAULT_ARXIV_URL },
  webSearch: { url: DEFAULT_WEB_SEARCH_URL },
};
