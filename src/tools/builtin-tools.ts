import type { AnyToolSpec } from '../core/tool-spec.js';
import { planTool } from './plan-tool.js';
import type { ToolServices } from './tool-services.js';

/**
 * The tools every session gets, built from the services they call. A new tool family is one folder
 * under `src/tools/` exporting a function of {@link ToolServices}, and one line here.
 */
export function builtinTools(services: ToolServices): AnyToolSpec[] {
  void services;
  return [planTool];
}
