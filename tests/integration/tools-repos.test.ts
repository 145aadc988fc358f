import { describe, expect, it } from 'vitest';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { addRepo, fileAt } from '../fakes/hub-repo-routes.js';
import {
  WRITER,
  world,
  hub,
  files,
  startHub,
  run,
  failure,
  demo,
  useRepoWorld,
} from '../helpers/repos-tools.js';

useRepoWorld();

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
