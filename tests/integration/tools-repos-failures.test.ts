import { describe, expect, it } from 'vitest';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { addRepo, fileAt } from '../fakes/hub-repo-routes.js';
import {
  READER,
  STRANGER,
  UNKNOWN,
  world,
  hub,
  harness,
  files,
  git,
  startHub,
  run,
  failure,
  replace,
  demo,
  useRepoWorld,
} from '../helpers/repos-tools.js';

useRepoWorld();

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
