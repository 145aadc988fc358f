import { describe, expect, it } from 'vitest';
import { fileAt } from '../fakes/hub-repo-routes.js';
import {
  world,
  hub,
  harness,
  files,
  git,
  startHub,
  run,
  failure,
  demo,
  useRepoWorld,
} from '../helpers/repos-tools.js';

useRepoWorld();

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
