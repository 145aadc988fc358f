import type { AnyToolSpec } from '../../core/tool-spec.js';
import type { ToolServices } from '../tool-services.js';
import { hfPapersTool } from './hf-papers-tool.js';
import type { PapersToolOptions } from './papers-deps.js';

export type { PapersToolOptions } from './papers-deps.js';

/** The papers family: `hf_papers` (Hugging Face Papers, arXiv HTML, Semantic Scholar). */
export function papersTools(services: ToolServices, options: PapersToolOptions = {}): AnyToolSpec[] {
  return [hfPapersTool(services, options)];
}
