import type { AnyToolSpec } from '../../core/tool-spec.js';

/**
 * What the research sub-agent may call: reading tools whole, and the reading operations of tools that
 * also write. Anything else, and any call the tool's own policy would ask a human about, is refused
 * before it runs: a sub-agent has nobody to ask.
 */
export const RESEARCH_TOOLS: Readonly<Record<string, 'all' | readonly string[]>> = {
  explore_hf_docs: 'all',
  fetch_hf_docs: 'all',
  find_hf_api: 'all',
  hf_papers: 'all',
  hf_inspect_dataset: 'all',
  hf_repo_files: ['list', 'read'],
  hf_repo_git: ['list_refs', 'list_prs', 'get_pr'],
  github_find_examples: 'all',
  github_list_repos: 'all',
  github_read_file: 'all',
  web_search: 'all',
  load_skill: 'all',
  read: 'all',
};

/** Why `args` may not run inside research, or undefined when they may. */
export function researchRefusal(spec: AnyToolSpec, args: unknown, sessionId: string): string | undefined {
  const allowed = allowedOf(spec);
  if (allowed === undefined) return `${spec.name} is not available to research (it reads only).`;
  if (allowed !== 'all') {
    const operation = (args as { operation?: unknown } | undefined)?.operation;
    if (typeof operation !== 'string' || !allowed.includes(operation)) {
      return `research may only use ${spec.name} to ${allowed.join(', ')}; "${String(operation)}" changes something, so the main agent must do it.`;
    }
  }
  const reason = spec.needsApproval(args, { sessionId });
  if (reason !== undefined) {
    return `research cannot run calls that need a human's approval (${reason}); report what you would do instead.`;
  }
  return undefined;
}

/** The tools of `all` that research may see. */
export function researchTools(all: readonly AnyToolSpec[]): AnyToolSpec[] {
  return all.filter((spec) => spec.name !== 'research' && allowedOf(spec) !== undefined);
}

function allowedOf(spec: AnyToolSpec): 'all' | readonly string[] | undefined {
  if (spec.readOnly === true) return 'all';
  return spec.readOnly ?? RESEARCH_TOOLS[spec.name];
}
