import type { AnyToolSpec } from '../core/tool-spec.js';
import { planTool } from './plan-tool.js';

/** The tools every session gets. A new tool is one file in this folder and one line here. */
export function builtinTools(): AnyToolSpec[] {
  return [planTool];
}
