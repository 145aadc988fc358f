import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { reposTools } from '../../src/tools/repos/index.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import {
  startLoopback,
  type Loopback,
  type LoopbackAnswer,
  type LoopbackRequest,
  type Route,
} from '../fakes/loopback-http.js';
import {
  addAccount,
  addRepo,
  createHubRepoWorld,
  fileAt,
  hubRepoRoutes,
  type HubRepoWorld,
} from '../fakes/hub-repo-routes.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

// hf_repo_files and hf_repo_git against a loopback Hub that speaks what @huggingface/hub and
// huggingface_hub send: tree pages, resolve with ranges, preupload + NDJSON commit, refs, branches,
// tags, discussions, repo creation and settings. Tokens start with hf_, as @huggingface/hub demands.

const WRITER = 'hf_writerToken0123456789abcdefghijkl';
const READER = 'hf_readerToken0123456789abcdefghijkl';
const STRANGER = 'hf_strangerToken0123456789abcdefghij';
const UNKNOWN = 'hf_unknownToken0123456789abcdefghijk';
const TOKENS = [WRITER, READER, STRANGER, UNKNOWN];

let world: HubRepoWorld;
let hub: Loopback;
let harness: ToolHarness;
let files: AnyToolSpec;
let git: AnyToolSpec;

function seedWorld(): HubRepoWorld {
  const w = createHubRepoWorld({ treePageSize: 3 });
  addAccount(w, WRITER, { user: 'intern', orgs: ['lab'] });
  addAccount(w, READER, { user: 'reader', role: 'read' });
  addAccount(w, STRANGER, { user: 'stranger' });
  addRepo(w, {
    id: 'intern/demo',
    files: {
      'README.md': '# Demo\n\nA tiny model.',
      'config.json': '{"hidden_size": 64}',
      'src/train.py': 'print("train")\n',
      'model.safetensors': Buffer.alloc(2_048, 7),
      'notes/raw.txt': Buffer.from([104, 105, 0, 1, 2]),
      'big.txt': 'x'.repeat(1_200_000),
      'long.md': Array.from({ length: 3_000 }, (_, i) => `line ${i}`).join('\n'),
    },
  });
  addRepo(w, { id: 'meta/gated-model', gated: 'manual', files: { 'config.json': '{"secret": true}' } });
  addRepo(w, { id: 'someone/private-model', private: true, files: { 'a.txt': 'private' } });
  addRepo(w, { type: 'dataset', id: 'lab/data', files: { 'data/train.csv': 'a,b\n1,2\n' } });
  return w;
}

/** A Hub on loopback with `extra` routes answering before the fake's own, and the two tools on it. */
async function startHub(
  options: { token?: string | undefined; extra?: (routes: Route[]) => Route[]; timeoutMs?: number } = {},
): Promise<void> {
  const routes = hubRepoRoutes(world);
  hub = await startLoopback([...(options.extra?.(routes) ?? []), ...routes]);
  harness = toolHarness({ hub: { url: hub.url, token: 'token' in options ? options.token : WRITER } });
  [files, git] = reposTools(harness.services, { timeoutMs: options.timeoutMs ?? 5_000 }) as [
    AnyToolSpec,
    AnyToolSpec,
  ];
}

async function run(tool: AnyToolSpec, args: Record<string, unknown>): Promise<string> {
  const result = await harness.run(tool, args);
  expect(result.isError).not.toBe(true);
  expectClean(result.output);
  return result.output;
}

/** The message a failing call gives the model (the agent turns the throw into the call's result). */
async function failure(tool: AnyToolSpec, args: Record<string, unknown>): Promise<string> {
  const error = await harness.run(tool, args).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expectClean(message);
  expect(message.length).toBeLessThan(600);
  return message;
}

function expectClean(text: string): void {
  for (const token of TOKENS) expect(text).not.toContain(token);
  expect(text.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
}

/** A route of the fake with the same path as `like`, answered by `answer` (which may defer to it). */
function replace(
  routes: Route[],
  method: string,
  sample: string,
  answer: (req: LoopbackRequest, original: Route) => LoopbackAnswer | Promise<LoopbackAnswer>,
): Route[] {
  const original = routes.find((r) => r.method === method && r.path instanceof RegExp && r.path.test(sample));
  if (!original) throw new Error(`no fake route for ${method} ${sample}`);
  return [{ method, path: original.path, handle: (req) => answer(req, original) }];
}

function demo(): NonNullable<ReturnType<HubRepoWorld['repos']['get']>> {
  const repo = world.repos.get('model:intern/demo');
  if (!repo) throw new Error('seed repo missing');
  return repo;
}

beforeEach(() => {
  world = seedWorld();
});
afterEach(async () => {
  await harness?.close();
  await hub?.close();
});

describe('hf_repo_files', () => {
  it('lists the whole tree with sizes and LFS marks, following the Link pages', async () => {
    await startHub();
    const output = await run(files, { operation: 'list', repo_id: 'intern/demo' });
    expect(output).toContain('**intern/demo** (model) at `main`: 8 files');
    expect(output).toContain('https://huggingface.co/intern/demo/tree/main');
    expect(output).toContain('- config.json (19 B)');
    expect(output).toContain('- src/train.py (15 B)');
    expect(output).toContain('- model.safetensors (2.05 kB, LFS)');
    expect(output).not.toMatch(/^- src \(/m);
    const pages = hub.requests.filter((r) => r.path === '/api/models/intern/demo/tree/main');
    expect(pages.length).toBeGreaterThan(2);
    expect(pages[0]?.query.get('recursive')).toBe('true');
    expect(pages.slice(1).every((p) => p.query.has('cursor'))).toBe(true);
    expect(pages.every((p) => p.token === WRITER)).toBe(true);
  });

  it('lists one folder, and a dataset by its datasets/ prefix', async () => {
    await startHub();
    const folder = await run(files, { operation: 'list', repo_id: 'intern/demo', path: 'src/' });
    expect(folder).toContain('1 file');
    expect(folder).toContain('https://huggingface.co/intern/demo/tree/main/src');
    const dataset = await run(files, { operation: 'list', repo_id: 'datasets/lab/data' });
    expect(dataset).toContain('**lab/data** (dataset)');
    expect(dataset).toContain('https://huggingface.co/datasets/lab/data/tree/main');
    expect(dataset).toContain('- data/train.csv (8 B)');
    addRepo(world, { id: 'gpt2', files: { 'vocab.json': '{}' } });
    const bare = await run(files, { operation: 'list', repo_id: 'gpt2' });
    expect(bare).toContain('- vocab.json (2 B)');
    expect(bare).toContain('https://huggingface.co/gpt2/tree/main');
  });

  it('reads a text file in a fence, with its Hub link', async () => {
    await startHub();
    const output = await run(files, { operation: 'read', repo_id: 'intern/demo', path: 'config.json' });
    expect(output).toContain('**config.json** in model intern/demo at `main` (19 B)');
    expect(output).toContain('https://huggingface.co/intern/demo/blob/main/config.json');
    expect(output).toContain('```json\n{"hidden_size": 64}\n```');
    const probe = hub.requests.find((r) => r.path === '/intern/demo/resolve/main/config.json');
    expect(probe?.headers.range).toBe('bytes=0-0');
  });

  it('refuses binary and huge files with a message, before downloading them', async () => {
    await startHub();
    expect(
      await failure(files, { operation: 'read', repo_id: 'intern/demo', path: 'model.safetensors' }),
    ).toMatch(/binary file .* list shows its size/);
    expect(hub.requests.some((r) => r.path.includes('model.safetensors'))).toBe(false);
    expect(
      await failure(files, { operation: 'read', repo_id: 'intern/demo', path: 'notes/raw.txt' }),
    ).toMatch(/not UTF-8 text/);
    expect(await failure(files, { operation: 'read', repo_id: 'intern/demo', path: 'big.txt' })).toMatch(
      /big\.txt is 1\.2 MB, too large to read here \(limit 1 MB\)/,
    );
    const bigRequests = hub.requests.filter((r) => r.path.endsWith('/big.txt'));
    expect(bigRequests.map((r) => r.headers.range)).toEqual(['bytes=0-0']);
  });

  it('cuts a long file to the result cap and says how to see the rest', async () => {
    await startHub();
    const output = await run(files, { operation: 'read', repo_id: 'intern/demo', path: 'long.md' });
    expect(output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    expect(output).toContain('line 0\n');
    expect(output).toContain('line 2999');
    expect(output).toMatch(/characters cut from the middle; the whole file is longer than a tool result/);
  });

  it('uploads, then lists and reads the new file (preupload, then an NDJSON commit)', async () => {
    await startHub();
    const upload = await run(files, {
      operation: 'upload',
      repo_id: 'intern/demo',
      path: 'docs/usage.md',
      content: '# Usage\n\nRun `train.py`.\n',
      commit_message: 'Add usage notes',
    });
    expect(upload).toMatch(
      /^Committed to model intern\/demo at `main`: docs\/usage.md 25 B written \(commit [0-9a-f]{8}\)/,
    );
    expect(upload).toContain('https://huggingface.co/intern/demo/blob/main/docs/usage.md');
    expect(upload).toMatch(/https:\/\/huggingface\.co\/intern\/demo\/commit\/[0-9a-f]{40}/);
    const preupload = hub.requests.find((r) => r.path === '/api/models/intern/demo/preupload/main');
    expect(preupload?.json).toMatchObject({ files: [{ path: 'docs/usage.md', size: 25 }] });
    const commit = hub.requests.find((r) => r.path === '/api/models/intern/demo/commit/main');
    expect(commit?.headers['content-type']).toBe('application/x-ndjson');
    const lines = commit?.body
      .toString('utf8')
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; value: Record<string, unknown> });
    expect(lines?.[0]).toMatchObject({ key: 'header', value: { summary: 'Add usage notes' } });
    expect(lines?.[1]).toMatchObject({ key: 'file', value: { path: 'docs/usage.md', encoding: 'base64' } });
    expect(fileAt(world, demo(), 'main', 'docs/usage.md')).toBe('# Usage\n\nRun `train.py`.\n');

    expect(await run(files, { operation: 'list', repo_id: 'intern/demo', path: 'docs' })).toContain(
      '- docs/usage.md (25 B)',
    );
    const read = await run(files, { operation: 'read', repo_id: 'intern/demo', path: 'docs/usage.md' });
    expect(read).toContain('```markdown\n# Usage\n\nRun `train.py`.\n```');
  });

  it('opens a PR with create_pr, adds a commit to refs/pr/N, and leaves main alone', async () => {
    await startHub();
    const opened = await run(files, {
      operation: 'upload',
      repo_id: 'intern/demo',
      path: 'config.json',
      content: '{"hidden_size": 128}',
      create_pr: true,
    });
    expect(opened).toContain('Opened pull request #1 on model intern/demo against `main`');
    expect(opened).toContain('https://huggingface.co/intern/demo/discussions/1');
    expect(opened).toContain('revision "refs/pr/1"');
    expect(
      hub.requests.some((r) => r.path.endsWith('/commit/main') && r.query.get('create_pr') === '1'),
    ).toBe(true);
    expect(fileAt(world, demo(), 'main', 'config.json')).toBe('{"hidden_size": 64}');

    await run(files, {
      operation: 'upload',
      repo_id: 'intern/demo',
      path: 'CHANGES.md',
      content: 'bigger',
      revision: 'refs/pr/1',
    });
    expect(hub.requests.some((r) => r.path === '/api/models/intern/demo/commit/refs/pr/1')).toBe(true);
    const listed = await run(files, { operation: 'list', repo_id: 'intern/demo', revision: 'refs/pr/1' });
    expect(listed).toContain('- CHANGES.md (6 B)');
    expect(listed).toContain('https://huggingface.co/intern/demo/tree/refs%2Fpr%2F1');
    expect(
      await run(files, {
        operation: 'read',
        repo_id: 'intern/demo',
        path: 'config.json',
        revision: 'refs/pr/1',
      }),
    ).toContain('{"hidden_size": 128}');
  });

  it('deletes a file in a commit; a missing file is a 404 that says what to check', async () => {
    await startHub();
    const output = await run(files, { operation: 'delete', repo_id: 'intern/demo', path: 'src/train.py' });
    expect(output).toMatch(/^Committed to model intern\/demo at `main`: src\/train.py deleted/);
    expect(fileAt(world, demo(), 'main', 'src/train.py')).toBeUndefined();
    const commit = hub.requests.filter((r) => r.path.endsWith('/commit/main')).at(-1);
    expect(commit?.body.toString('utf8')).toContain('{"key":"deletedFile","value":{"path":"src/train.py"}}');
    const missing = await failure(files, { operation: 'delete', repo_id: 'intern/demo', path: 'nope.txt' });
    expect(missing).toMatch(
      /Not found on the Hugging Face Hub \(404\): Entry not found: nope\.txt\. Check the repo id/,
    );
  });

  it('refuses bad input before calling the Hub', async () => {
    await startHub();
    expect(await failure(files, { operation: 'read', repo_id: 'intern/demo' })).toMatch(/read needs `path`/);
    expect(await failure(files, { operation: 'upload', repo_id: 'intern/demo', path: 'a.md' })).toMatch(
      /upload needs `content`/,
    );
    expect(await failure(files, { operation: 'read', repo_id: 'intern/demo', path: '../x' })).toMatch(
      /not a plain path/,
    );
    expect(await failure(files, { operation: 'list', repo_id: 'not a repo!' })).toMatch(/is not a repo id/);
    expect(
      await failure(files, {
        operation: 'upload',
        repo_id: 'intern/demo',
        path: 'a.md',
        content: 'y'.repeat(2_100_000),
      }),
    ).toMatch(/upload takes text up to 2 MB/);
    expect(hub.requests).toHaveLength(0);
  });
});

describe('hf_repo_git', () => {
  it('creates, lists and deletes branches and tags', async () => {
    await startHub();
    expect(await run(git, { operation: 'create_branch', repo_id: 'intern/demo', branch: 'dev' })).toContain(
      'https://huggingface.co/intern/demo/tree/dev',
    );
    expect(hub.requests.find((r) => r.path === '/api/models/intern/demo/branch/dev')?.method).toBe('POST');
    await run(git, {
      operation: 'create_tag',
      repo_id: 'intern/demo',
      tag: 'v1.0',
      revision: 'dev',
      tag_message: 'first',
    });
    expect(hub.requests.find((r) => r.path === '/api/models/intern/demo/tag/dev')?.json).toEqual({
      tag: 'v1.0',
      message: 'first',
    });
    expect(demo().tags.get('v1.0')).toEqual({ oid: demo().branches.get('main'), message: 'first' });

    const refs = await run(git, { operation: 'list_refs', repo_id: 'intern/demo' });
    expect(refs).toContain('Branches (2):');
    expect(refs).toMatch(/- dev → [0-9a-f]{8}/);
    expect(refs).toMatch(/Tags \(1\):\n- v1\.0 → [0-9a-f]{8}/);

    expect(await run(git, { operation: 'delete_tag', repo_id: 'intern/demo', tag: 'v1.0' })).toContain(
      'Deleted tag `v1.0`',
    );
    expect(await run(git, { operation: 'delete_branch', repo_id: 'intern/demo', branch: 'dev' })).toContain(
      'Deleted branch `dev`',
    );
    expect([...demo().branches.keys()]).toEqual(['main']);
    expect(
      await failure(git, { operation: 'create_branch', repo_id: 'intern/demo', branch: 'main' }),
    ).toMatch(/rejected the request \(409\): Reference already exists/);
    expect(await failure(git, { operation: 'create_tag', repo_id: 'intern/demo' })).toMatch(
      /create_tag needs `tag`/,
    );
  });

  it('runs the PR workflow: create, add a commit, list, read with its diff, comment, merge', async () => {
    await startHub();
    const created = await run(git, {
      operation: 'create_pr',
      repo_id: 'intern/demo',
      title: 'Bigger model',
      description: 'Doubles it.',
    });
    expect(created).toContain('Opened draft pull request #1 on model intern/demo: Bigger model');
    expect(created).toContain('https://huggingface.co/intern/demo/discussions/1');
    expect(
      hub.requests.find((r) => r.path === '/api/models/intern/demo/discussions' && r.method === 'POST')?.json,
    ).toEqual({
      title: 'Bigger model',
      description: 'Doubles it.',
      pullRequest: true,
    });
    await run(files, {
      operation: 'upload',
      repo_id: 'intern/demo',
      path: 'config.json',
      content: '{"hidden_size": 128}',
      revision: 'refs/pr/1',
    });

    const listed = await run(git, { operation: 'list_prs', repo_id: 'intern/demo' });
    expect(listed).toMatch(/- #1 PR, draft: Bigger model \(intern, \d{4}-\d\d-\d\d\)/);
    await run(git, { operation: 'comment_pr', repo_id: 'intern/demo', pr_num: 1, comment: 'Looks good.' });

    const details = await run(git, { operation: 'get_pr', repo_id: 'intern/demo', pr_num: 1 });
    expect(details).toContain('**Pull request #1** on model intern/demo: Bigger model');
    expect(details).toContain('into `main`');
    expect(details).toContain('  > Doubles it.');
    expect(details).toMatch(/intern committed [0-9a-f]{8}: Upload config\.json/);
    expect(details).toContain('  > Looks good.');
    expect(details).toContain('-{"hidden_size": 64}\n+{"hidden_size": 128}');
    expect(
      hub.requests.find((r) => r.path === '/api/models/intern/demo/discussions/1')?.query.get('diff'),
    ).toBe('1');

    expect(
      await run(git, { operation: 'merge_pr', repo_id: 'intern/demo', pr_num: 1, comment: 'Merging.' }),
    ).toContain('Merged pull request #1 of model intern/demo.');
    expect(fileAt(world, demo(), 'main', 'config.json')).toBe('{"hidden_size": 128}');
    expect(await run(git, { operation: 'list_prs', repo_id: 'intern/demo', status: 'closed' })).toContain(
      '#1 PR, merged',
    );
  });

  it('closes a discussion with a comment and lists by status', async () => {
    await startHub();
    await run(git, { operation: 'create_pr', repo_id: 'intern/demo', title: 'Try this' });
    expect(
      await run(git, { operation: 'close_pr', repo_id: 'intern/demo', pr_num: 1, comment: 'Not needed.' }),
    ).toContain('Closed #1');
    expect(hub.requests.find((r) => r.path.endsWith('/discussions/1/status'))?.json).toEqual({
      status: 'closed',
      comment: 'Not needed.',
    });
    expect(await run(git, { operation: 'list_prs', repo_id: 'intern/demo', status: 'open' })).toMatch(
      /^No open pull requests/,
    );
    expect(
      hub.requests
        .filter((r) => r.path.endsWith('/discussions') && r.method === 'GET')
        .at(-1)
        ?.query.get('status'),
    ).toBe('open');
    expect(await failure(git, { operation: 'get_pr', repo_id: 'intern/demo', pr_num: 9 })).toMatch(
      /\(404\): Discussion not found/,
    );
  });

  it("creates repos (private by default; a bare name lands in the token owner's account) and updates settings", async () => {
    await startHub();
    expect(await run(git, { operation: 'create_repo', repo_id: 'lab/new-model' })).toBe(
      'Created private model lab/new-model.\nhttps://huggingface.co/lab/new-model',
    );
    expect(hub.requests.find((r) => r.path === '/api/repos/create')?.json).toMatchObject({
      name: 'new-model',
      organization: 'lab',
      visibility: 'private',
      type: 'model',
    });
    expect(world.repos.get('model:lab/new-model')?.private).toBe(true);

    expect(
      await run(git, { operation: 'create_repo', repo_id: 'scratch', repo_type: 'dataset', private: false }),
    ).toBe('Created public dataset intern/scratch.\nhttps://huggingface.co/datasets/intern/scratch');
    expect(
      await failure(git, { operation: 'create_repo', repo_id: 'intern/app', repo_type: 'space' }),
    ).toMatch(/needs `space_sdk`/);
    await run(git, {
      operation: 'create_repo',
      repo_id: 'intern/app',
      repo_type: 'space',
      space_sdk: 'gradio',
    });
    expect(world.repos.get('space:intern/app')?.sdk).toBe('gradio');
    expect(await failure(git, { operation: 'create_repo', repo_id: 'lab/new-model' })).toMatch(
      /\(409\): You already created this model repo/,
    );

    expect(
      await run(git, { operation: 'update_repo', repo_id: 'lab/new-model', private: false, gated: 'auto' }),
    ).toBe(
      'Updated model lab/new-model: public, gated (auto).\nhttps://huggingface.co/lab/new-model/settings',
    );
    expect(hub.requests.find((r) => r.method === 'PUT')?.json).toEqual({ private: false, gated: 'auto' });
    await run(git, { operation: 'update_repo', repo_id: 'lab/new-model', gated: 'false' });
    expect(world.repos.get('model:lab/new-model')).toMatchObject({ private: false, gated: false });
    expect(await failure(git, { operation: 'update_repo', repo_id: 'lab/new-model' })).toMatch(
      /update_repo needs `private`/,
    );
  });
});

describe('approval', () => {
  it('asks for upload and delete, naming the repo and path; never for list and read', async () => {
    await startHub();
    expect(files.sideEffects).toBe(true);
    expect(harness.approval(files, { operation: 'list', repo_id: 'intern/demo' })).toBeUndefined();
    expect(harness.approval(files, { operation: 'read', repo_id: 'intern/demo', path: 'a' })).toBeUndefined();
    expect(
      harness.approval(files, {
        operation: 'upload',
        repo_id: 'intern/demo',
        path: 'README.md',
        content: 'hi',
      }),
    ).toBe('Upload README.md (2 bytes) to model intern/demo, committing to main');
    expect(
      harness.approval(files, {
        operation: 'upload',
        repo_id: 'lab/data',
        repo_type: 'dataset',
        path: 'a.csv',
        content: '',
        create_pr: true,
      }),
    ).toBe('Upload a.csv (0 bytes) to dataset lab/data, as a pull request against main');
    expect(
      harness.approval(files, {
        operation: 'delete',
        repo_id: 'intern/demo',
        path: 'x.bin',
        revision: 'dev',
      }),
    ).toBe('Delete x.bin from model intern/demo, committing to dev');
  });

  it('asks for delete_*, merge_pr, create_repo and update_repo; never for the rest', async () => {
    await startHub();
    expect(git.sideEffects).toBe(true);
    const ask = (args: Record<string, unknown>) => harness.approval(git, { repo_id: 'intern/demo', ...args });
    expect(ask({ operation: 'delete_branch', branch: 'dev' })).toBe('Delete branch dev of model intern/demo');
    expect(ask({ operation: 'delete_tag', tag: 'v1' })).toBe('Delete tag v1 of model intern/demo');
    expect(ask({ operation: 'merge_pr', pr_num: 3 })).toBe('Merge pull request #3 of model intern/demo');
    expect(ask({ operation: 'create_repo' })).toBe('Create private model intern/demo');
    expect(ask({ operation: 'create_repo', repo_type: 'space', private: false, space_sdk: 'docker' })).toBe(
      'Create public space intern/demo (docker Space)',
    );
    expect(ask({ operation: 'update_repo', private: true })).toBe(
      'Change the settings of model intern/demo: private',
    );
    for (const operation of [
      'create_branch',
      'create_tag',
      'list_refs',
      'create_pr',
      'list_prs',
      'get_pr',
      'close_pr',
      'comment_pr',
    ]) {
      expect(ask({ operation, branch: 'b', tag: 't', pr_num: 1, title: 'T', comment: 'c' })).toBeUndefined();
    }
  });
});

describe('failures the model hears about', () => {
  it('a write without a token says to set HF_TOKEN and never reaches the Hub', async () => {
    await startHub({ token: undefined });
    const message = await failure(files, {
      operation: 'upload',
      repo_id: 'intern/demo',
      path: 'a.md',
      content: 'x',
    });
    expect(message).toMatch(
      /Uploading a\.md needs a Hugging Face token with write access, and HF_TOKEN is not set/,
    );
    expect(await failure(git, { operation: 'merge_pr', repo_id: 'intern/demo', pr_num: 1 })).toMatch(
      /HF_TOKEN is not set/,
    );
    expect(hub.requests).toHaveLength(0);
    // Reads need no token.
    expect(await run(files, { operation: 'read', repo_id: 'intern/demo', path: 'README.md' })).toContain(
      '# Demo',
    );
    expect(hub.requests.every((r) => r.token === undefined)).toBe(true);
  });

  it('a token the Hub does not know is a 401 that says to fix HF_TOKEN', async () => {
    await startHub({ token: UNKNOWN });
    const message = await failure(files, {
      operation: 'upload',
      repo_id: 'intern/demo',
      path: 'a.md',
      content: 'x',
    });
    expect(message).toMatch(
      /\(401, not authenticated\): Invalid credentials in Authorization header\. Set HF_TOKEN/,
    );
    expect(await failure(git, { operation: 'create_tag', repo_id: 'intern/demo', tag: 'v1' })).toMatch(
      /\(401/,
    );
  });

  it("a read-only token cannot write: 403 with the Hub's words", async () => {
    await startHub({ token: READER });
    expect(await failure(files, { operation: 'delete', repo_id: 'intern/demo', path: 'README.md' })).toMatch(
      /refused access \(403\): You don't have the rights to write to model intern\/demo/,
    );
    expect(fileAt(world, demo(), 'main', 'README.md')).toContain('# Demo');
  });

  it('a gated repo lists but its files are 403 until the gate is accepted', async () => {
    await startHub({ token: STRANGER });
    expect(await run(files, { operation: 'list', repo_id: 'meta/gated-model' })).toContain('- config.json');
    const message = await failure(files, {
      operation: 'read',
      repo_id: 'meta/gated-model',
      path: 'config.json',
    });
    expect(message).toMatch(/refused access \(403\): Access to model meta\/gated-model is restricted/);
    expect(message).toMatch(/accept its conditions on its Hub page/);
    world.gateAccepted.add(`${STRANGER}|model:meta/gated-model`);
    expect(
      await run(files, { operation: 'read', repo_id: 'meta/gated-model', path: 'config.json' }),
    ).toContain('"secret": true');
  });

  it('an unknown or private repo is a 404 that says to check the id and type', async () => {
    await startHub({ token: STRANGER });
    for (const repo_id of ['intern/nope', 'someone/private-model']) {
      expect(await failure(files, { operation: 'list', repo_id })).toMatch(
        /Not found on the Hugging Face Hub \(404\): Repository not found\. Check the repo id, its type/,
      );
    }
    expect(
      await failure(git, { operation: 'list_refs', repo_id: 'intern/demo', repo_type: 'dataset' }),
    ).toMatch(/\(404\)/);
    expect(await failure(files, { operation: 'read', repo_id: 'intern/demo', path: 'missing.md' })).toMatch(
      /\(404\): Entry not found/,
    );
    expect(await failure(files, { operation: 'list', repo_id: 'intern/demo', revision: 'v9' })).toMatch(
      /\(404\): Invalid rev id: v9/,
    );
  });

  it('a 429 with Retry-After is waited out and retried once it passes', async () => {
    let calls = 0;
    await startHub({
      extra: (routes) =>
        replace(routes, 'GET', '/api/models/intern/demo/tree/main', (req, original) =>
          calls++ === 0
            ? { status: 429, headers: { 'retry-after': '1' }, body: { error: 'Too many requests' } }
            : original.handle(req),
        ),
    });
    const started = Date.now();
    expect(await run(files, { operation: 'list', repo_id: 'intern/demo', path: 'src' })).toContain(
      '- src/train.py',
    );
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a 429 that persists says how long the Hub asks to wait', async () => {
    await startHub({
      extra: (routes) =>
        replace(routes, 'GET', '/api/models/intern/demo/discussions', () => ({
          status: 429,
          headers: { 'retry-after': '1' },
          body: { error: 'Too many requests' },
        })),
    });
    const message = await failure(git, { operation: 'list_prs', repo_id: 'intern/demo' });
    expect(message).toMatch(
      /rate limiting these requests \(429\); it asks to wait 1 s\. Wait before retrying/,
    );
    // A write is not retried: the Hub said no, and the model decides when to try again.
    await harness.close();
    await hub.close();
    await startHub({
      extra: (routes) =>
        replace(routes, 'POST', '/api/models/intern/demo/commit/main', () => ({
          status: 429,
          headers: { 'retry-after': '30' },
          body: { error: 'Too many commits' },
        })),
    });
    expect(
      await failure(files, { operation: 'upload', repo_id: 'intern/demo', path: 'a.md', content: 'x' }),
    ).toMatch(/\(429\); it asks to wait 30 s/);
    expect(hub.requests.filter((r) => r.path.endsWith('/commit/main'))).toHaveLength(1);
  });

  it('a Hub that does not answer times out with a message, through the library and plain HTTP alike', async () => {
    await startHub({
      timeoutMs: 1_000,
      extra: (routes) => [
        ...replace(routes, 'GET', '/api/models/intern/demo/tree/main', () => ({ hang: true })),
        ...replace(routes, 'GET', '/api/models/intern/demo/refs', () => ({ hang: true })),
      ],
    });
    expect(await failure(files, { operation: 'list', repo_id: 'intern/demo' })).toMatch(
      /the Hugging Face Hub did not answer within 1 s; try again/,
    );
    expect(await failure(git, { operation: 'list_refs', repo_id: 'intern/demo' })).toMatch(
      /did not answer within 1 s/,
    );
  });

  it('an interrupted turn stops a hung call at once', async () => {
    await startHub({
      timeoutMs: 20_000,
      extra: (routes) =>
        replace(routes, 'POST', '/api/models/intern/demo/commit/main', () => ({ hang: true })),
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await harness
      .run(
        files,
        { operation: 'upload', repo_id: 'intern/demo', path: 'a.md', content: 'x' },
        controller.signal,
      )
      .then(
        () => undefined,
        (err: unknown) => err as Error,
      );
    expect(error?.message).toBe('Stopped: the turn was interrupted.');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a malformed answer says so instead of failing obscurely', async () => {
    await startHub({
      extra: (routes) => [
        ...replace(routes, 'GET', '/api/models/intern/demo/tree/main', () => ({ body: '<html>oops</html>' })),
        ...replace(routes, 'GET', '/api/models/intern/demo/refs', () => ({ body: '<html>oops</html>' })),
        ...replace(routes, 'GET', '/api/models/intern/demo/discussions', () => ({ body: { items: [] } })),
      ],
    });
    expect(await failure(files, { operation: 'list', repo_id: 'intern/demo' })).toMatch(
      /sent an answer that could not be read for the files of model intern\/demo; try again later/,
    );
    expect(await failure(git, { operation: 'list_refs', repo_id: 'intern/demo' })).toMatch(
      /sent an answer that is not JSON/,
    );
    expect(await failure(git, { operation: 'list_prs', repo_id: 'intern/demo' })).toMatch(
      /could not be read for the discussions of model intern\/demo/,
    );
  });

  it('a token that is not a Hugging Face token is named as such', async () => {
    await startHub({ token: 'ghp_notAHubToken' });
    expect(await failure(files, { operation: 'list', repo_id: 'intern/demo' })).toMatch(
      /HF_TOKEN does not look like a Hugging Face token/,
    );
    expect(hub.requests).toHaveLength(0);
  });
});

describe('size caps', () => {
  it('stops a huge listing at 1,000 files and keeps the result under the cap', async () => {
    world.treePageSize = 1_000;
    const many: Record<string, string> = {};
    for (let i = 0; i < 1_500; i++) many[`shards/part-${String(i).padStart(5, '0')}.txt`] = 'x';
    addRepo(world, { type: 'dataset', id: 'lab/many', files: many });
    await startHub();
    const output = await run(files, { operation: 'list', repo_id: 'lab/many', repo_type: 'dataset' });
    expect(output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    expect(output).toContain('the first 1000 files');
    expect(output).toContain('Listing stopped at 1000 files; list one folder with `path`');
    // It stopped paging once it had enough.
    expect(hub.requests.filter((r) => r.path.startsWith('/api/datasets/lab/many/tree'))).toHaveLength(2);
  });

  it('keeps a pull request with a long conversation and diff under the cap', async () => {
    await startHub();
    await run(git, {
      operation: 'create_pr',
      repo_id: 'intern/demo',
      title: 'Huge',
      description: 'd'.repeat(5_000),
    });
    await run(files, {
      operation: 'upload',
      repo_id: 'intern/demo',
      path: 'huge.txt',
      content: 'line\n'.repeat(4_000),
      revision: 'refs/pr/1',
    });
    for (let i = 0; i < 6; i++)
      await run(git, {
        operation: 'comment_pr',
        repo_id: 'intern/demo',
        pr_num: 1,
        comment: `c${i} ${'z'.repeat(1_500)}`,
      });
    const details = await run(git, { operation: 'get_pr', repo_id: 'intern/demo', pr_num: 1 });
    expect(details.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    expect(details).toContain('**Pull request #1**');
    expect(details).toContain('Add commits with hf_repo_files upload, revision "refs/pr/1".');
  });
});
