import type { AnyToolSpec } from '../../core/tool-spec.js';
import type { ToolServices } from '../tool-services.js';
import { webSearchTool, type WebToolsOptions } from './web-search-tool.js';

export type { WebToolsOptions } from './web-search-tool.js';

/** `web_search`: keyless through `services.webSearch.url`, or Exa when `services.webSearch.exa` is set. */
export function webTools(services: ToolServices, options: WebToolsOptions = {}): AnyToolSpec[] {
  return [webSearchTool(services, options)];
}
