import type { Config } from '../config/schema.js';
import type { AnyToolSpec } from '../core/tool-spec.js';
import { planTool } from './plan-tool.js';
import { researchTool } from './research/research-tool.js';
import type { ToolServices } from './tool-services.js';

/**
 * The tools every session gets, built from the services they call. A new tool family is one folder
 * under `src/tools/` exporting a function of {@link ToolServices}, and one line here. `allTools`
 * gives the research sub-agent the session's whole tool set (it keeps the read-only part).
 */
export function builtinTools(
  services: ToolServices,
  config: Pick<Config, 'research'>,
  allTools: () => readonly AnyToolSpec[],
): AnyToolSpec[] {
  return [planTool, researchTool(allTools, config.research)];
}
