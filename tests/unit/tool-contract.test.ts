import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { SkillCatalog } from '../../src/skills/index.js';
import { builtinTools } from '../../src/tools/builtin-tools.js';
import { ToolCache } from '../../src/tools/shared/tool-cache.js';
import { PUBLIC_ENDPOINTS, type ToolServices } from '../../src/tools/tool-services.js';
import { ToolRegistry } from '../../src/tools/tool-registry.js';
import { REDIS_URL } from '../helpers/test-app.js';

// DESIGN.md's "Tools: the contract": the names every session has, and who asks a human.
const redis = new Redis(REDIS_URL, { lazyConnect: true });
afterAll(() => redis.disconnect());
const logger = pino({ level: 'silent' });
const services: ToolServices = {
  ...PUBLIC_ENDPOINTS,
  cache: new ToolCache(redis, 'tcontract', logger),
  logger,
};
const config = configSchema.parse({ model: 'anthropic/claude-sonnet-5-5', skills: [] });
const registry: ToolRegistry = new ToolRegistry(
  builtinTools(services, config, () => registry.all(), new SkillCatalog({ sources: [], services })),
);

/** The approval reason of a call, parsed by the tool's own schema first. */
function asks(tool: string, args: Record<string, unknown>): boolean {
  const spec = registry.get(tool);
  if (!spec) throw new Error(`no tool ${tool}`);
  const parsed = spec.parameters.safeParse(args);
  if (!parsed.success) throw new Error(`${tool} ${JSON.stringify(args)}: ${parsed.error.message}`);
  return spec.needsApproval(parsed.data, { sessionId: 's' }) !== undefined;
}

const repo = { repo_id: 'acme/model' };

describe('the tool contract', () => {
  it('every session has the research and Hub tools under their contract names', () => {
    expect(registry.names().sort()).toEqual(
      [
        'explore_hf_docs',
        'fetch_hf_docs',
        'find_hf_api',
        'github_find_examples',
        'github_list_repos',
        'github_read_file',
        'hf_inspect_dataset',
        'hf_jobs',
        'hf_papers',
        'hf_repo_files',
        'hf_repo_git',
        'read',
        'write',
        'edit',
        'bash',
        'load_skill',
        'plan_tool',
        'research',
        'web_search',
      ].sort(),
    );
    // Every schema becomes a JSON Schema object the model can read.
    for (const definition of registry.definitions())
      expect(definition.inputSchema).toMatchObject({ type: 'object' });
  });

  it('reads never ask', () => {
    expect(asks('explore_hf_docs', { endpoint: 'trl', query: 'sft' })).toBe(false);
    expect(asks('fetch_hf_docs', { url: 'https://huggingface.co/docs/trl/index' })).toBe(false);
    expect(asks('find_hf_api', { query: 'jobs' })).toBe(false);
    expect(asks('hf_papers', { operation: 'search', query: 'lora' })).toBe(false);
    expect(asks('hf_inspect_dataset', { dataset: 'acme/data' })).toBe(false);
    expect(asks('hf_repo_files', { operation: 'list', ...repo })).toBe(false);
    expect(asks('hf_repo_files', { operation: 'read', ...repo, path: 'README.md' })).toBe(false);
    expect(asks('hf_repo_git', { operation: 'list_refs', ...repo })).toBe(false);
    expect(asks('hf_repo_git', { operation: 'list_prs', ...repo })).toBe(false);
    expect(asks('github_find_examples', { keyword: 'sft' })).toBe(false);
    expect(asks('github_list_repos', { owner: 'huggingface' })).toBe(false);
    expect(asks('github_read_file', { repo: 'huggingface/trl', path: 'README.md' })).toBe(false);
    expect(asks('web_search', { query: 'trl sft' })).toBe(false);
    expect(asks('research', { task: 'find an example' })).toBe(false);
    expect(asks('load_skill', { name: 'trl-training' })).toBe(false);
  });

  it('hf_jobs: GPU runs ask, CPU runs ask unless confirmCpuJobs is false, scheduled changes always ask', () => {
    expect(
      asks('hf_jobs', { operation: 'run', command: ['nvidia-smi'], hardware_flavor: 'a10g-small' }),
    ).toBe(true);
    expect(asks('hf_jobs', { operation: 'run', command: ['echo', 'hi'], hardware_flavor: 'cpu-basic' })).toBe(
      true,
    );
    expect(asks('hf_jobs', { operation: 'ps' })).toBe(false);
    expect(asks('hf_jobs', { operation: 'logs', job_id: 'abc' })).toBe(false);
    expect(asks('hf_jobs', { operation: 'cancel', job_id: 'abc' })).toBe(false);
    const spec = registry.get('hf_jobs')!;
    const scheduled = spec.parameters.parse({
      operation: 'scheduled run',
      command: ['echo'],
      hardware_flavor: 'cpu-basic',
      schedule: '@daily',
    });
    expect(spec.alwaysAsk?.(scheduled)).toBeDefined();
    const deletion = spec.parameters.parse({ operation: 'scheduled delete', scheduled_job_id: 'sj1' });
    expect(spec.alwaysAsk?.(deletion)).toBeDefined();
    const gpu = spec.parameters.parse({ operation: 'run', command: ['x'], hardware_flavor: 'a10g-small' });
    expect(spec.alwaysAsk?.(gpu)).toBeUndefined();
  });

  it('upload, delete, delete_*, merge, create and update ask', () => {
    expect(asks('hf_repo_files', { operation: 'upload', ...repo, path: 'a.txt', content: 'x' })).toBe(true);
    expect(asks('hf_repo_files', { operation: 'delete', ...repo, path: 'a.txt' })).toBe(true);
    expect(asks('hf_repo_git', { operation: 'delete_branch', ...repo, branch: 'dev' })).toBe(true);
    expect(asks('hf_repo_git', { operation: 'delete_tag', ...repo, tag: 'v1' })).toBe(true);
    expect(asks('hf_repo_git', { operation: 'merge_pr', ...repo, pr_num: 1 })).toBe(true);
    expect(asks('hf_repo_git', { operation: 'create_repo', ...repo })).toBe(true);
    expect(asks('hf_repo_git', { operation: 'update_repo', ...repo, private: true })).toBe(true);
    // The rest of hf_repo_git does not ask (DESIGN.md).
    expect(asks('hf_repo_git', { operation: 'create_branch', ...repo, branch: 'dev' })).toBe(false);
    expect(asks('hf_repo_git', { operation: 'create_tag', ...repo, tag: 'v1' })).toBe(false);
    expect(asks('hf_repo_git', { operation: 'create_pr', ...repo, title: 'Fix' })).toBe(false);
    expect(asks('hf_repo_git', { operation: 'comment_pr', ...repo, pr_num: 1, comment: 'ok' })).toBe(false);
    expect(asks('hf_repo_git', { operation: 'close_pr', ...repo, pr_num: 1 })).toBe(false);
  });
});
