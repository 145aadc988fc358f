import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { AnyToolSpec } from '../core/tool-spec.js';
import type { SkillCatalog } from '../skills/index.js';
import { bashTools } from './code/bash-index.js';
import { fileTools } from './code/index.js';
import type { HfSandboxes } from './code/hf-sandbox/index.js';
import { datasetsTools } from './datasets/index.js';
import { docsTools } from './docs/index.js';
import { githubTools } from './github/index.js';
import { jobsTools } from './jobs/index.js';
import { papersTools } from './papers/index.js';
import { planTool } from './plan-tool.js';
import { reposTools } from './repos/index.js';
import { webTools } from './web/index.js';
import { researchTool } from './research/research-tool.js';
import type { ToolServices } from './tool-services.js';

/**
 * The tools every session gets, built from the services they call. A new tool family is one folder
 * under `src/tools/` exporting a function of {@link ToolServices}, and one line here. `allTools`
 * gives the research sub-agent the session's whole tool set (it keeps the read-only part).
 */
export function builtinTools(
  services: ToolServices,
  config: Pick<Config, 'research' | 'jobs' | 'code'>,
  allTools: () => readonly AnyToolSpec[],
  skills: SkillCatalog,
  projectRoot: string = process.cwd(),
  sandboxes?: HfSandboxes,
): AnyToolSpec[] {
  // Each session's workspace is `<workspaceRoot>/<session id>`, the root relative to the project.
  const workspaceRoot = resolve(projectRoot, config.code.workspaceRoot);
  return [
    planTool,
    researchTool(allTools, config.research),
    ...docsTools(services),
    ...papersTools(services),
    ...datasetsTools(services),
    ...reposTools(services),
    ...jobsTools(services, { jobs: config.jobs }),
    ...githubTools(services),
    ...webTools(services),
    skills.tool(),
    // code.runtime: the session's HF sandbox (with sandbox_create), or its local workspace.
    ...(config.code.runtime === 'hf-sandbox' && sandboxes
      ? sandboxes.tools()
      : [...fileTools({ workspaceRoot }), ...bashTools({ workspaceRoot, network: config.code.network })]),
  ];
}
