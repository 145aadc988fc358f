import type { AnyToolSpec } from '../../core/tool-spec.js';
import type { ToolServices } from '../tool-services.js';
import type { CorpusLimits } from './docs-corpus.js';
import { exploreHfDocsTool } from './explore-hf-docs.js';
import { fetchHfDocsTool } from './fetch-hf-docs.js';
import { findHfApiTool } from './find-hf-api.js';

/** Limits of the docs tools; the defaults suit production, tests shorten them. */
export type DocsToolOptions = CorpusLimits;

/**
 * The documentation tools: `explore_hf_docs` (search a docs section's Markdown pages),
 * `fetch_hf_docs` (read one page) and `find_hf_api` (the Hub's REST endpoints from its OpenAPI
 * description). All read only, from `HF_ENDPOINT`, and never ask for approval.
 */
export function docsTools(services: ToolServices, options: DocsToolOptions = {}): AnyToolSpec[] {
  return [
    exploreHfDocsTool(services, options),
    fetchHfDocsTool(services, options),
    findHfApiTool(services, options),
  ];
}
