import { describe, expect, it } from 'vitest';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { TOKEN, newWorld, setup, viewerCalls, failure, useDatasetsServer } from '../helpers/datasets-tool.js';

useDatasetsServer();

describe('hf_inspect_dataset: access and failures', () => {
  it('a gated dataset the token has not been granted: accept its conditions on its page', async () => {
    const { tool, h, server } = await setup();
    const message = await failure(h, tool, { dataset: 'acme/gated-set' });
    expect(message).toBe(
      "Dataset acme/gated-set is gated and the account of HF_TOKEN has not been granted access. Accept its conditions at https://huggingface.co/datasets/acme/gated-set while logged in as that account (some gates also wait for the authors' approval), then inspect it again.",
    );
    // The viewer said 404 ExternalAuthenticatedError; the Hub's auth-check told the gate apart.
    const check = server.requests.filter((r) => r.path === '/api/datasets/acme/gated-set/auth-check');
    expect(check).toHaveLength(1);
    expect(check[0]!.token).toBe(TOKEN);
  });

  it('a gated dataset without a token: set HF_TOKEN', async () => {
    const { tool, h } = await setup(newWorld(), { token: undefined });
    expect(await failure(h, tool, { dataset: 'acme/gated-set' })).toBe(
      'Dataset acme/gated-set is gated: set HF_TOKEN to a token of an account that has accepted its conditions at https://huggingface.co/datasets/acme/gated-set.',
    );
  });

  it('a private dataset the viewer does not serve (owner not PRO): read its files instead', async () => {
    const { tool, h } = await setup();
    expect(await failure(h, tool, { dataset: 'acme/private-set' })).toBe(
      'Dataset acme/private-set is private, and the dataset viewer serves private datasets only to PRO accounts and Enterprise organizations, so there is no preview. hf_repo_files (operation "list", repo_type "dataset") can still list and read its files.',
    );
  });

  it('a private dataset the token cannot see reads as not found, like an unknown id', async () => {
    const { tool, h } = await setup();
    const hidden = await failure(h, tool, { dataset: 'acme/hidden-set' });
    const unknown = await failure(h, tool, { dataset: 'acme/nope' });
    expect(unknown).toBe(
      'Dataset acme/nope was not found: no dataset has this id, or it is private and the account of HF_TOKEN cannot see it. Check the id (owner/name, as on https://huggingface.co/datasets/acme/nope), or use a token of an account with access.',
    );
    expect(hidden).toBe(unknown.replaceAll('acme/nope', 'acme/hidden-set'));
  });

  it('an unknown dataset without a token: it may need one', async () => {
    const { tool, h, server } = await setup(newWorld(), { token: undefined });
    expect(await failure(h, tool, { dataset: 'acme/nope' })).toBe(
      'Dataset acme/nope was not found: no dataset has this id, or it is private or gated and needs a token. Check the id (owner/name), or set HF_TOKEN.',
    );
    viewerCalls(server).forEach((r) => expect(r.headers.authorization).toBeUndefined());
  });

  it('a token the Hub refuses: set a valid one', async () => {
    const world = newWorld();
    world.validTokens = ['hf_someoneElse'];
    const { tool, h } = await setup(world);
    expect(await failure(h, tool, { dataset: 'acme/reviews' })).toBe(
      'The Hub refused HF_TOKEN (invalid or expired) while checking dataset acme/reviews: set HF_TOKEN to a valid token.',
    );
  });

  it('a dataset whose viewer is off in its card', async () => {
    const { tool, h } = await setup();
    expect(await failure(h, tool, { dataset: 'acme/no-viewer' })).toMatch(
      /^The viewer is turned off in the card of dataset acme\/no-viewer \(viewer: false\), so there is no preview\. hf_repo_files/,
    );
  });

  it('a dataset the viewer has not processed yet: try again in a few minutes', async () => {
    const { tool, h } = await setup();
    expect(await failure(h, tool, { dataset: 'acme/fresh-set' })).toBe(
      'The dataset viewer has not processed dataset acme/fresh-set yet (a new or just-updated dataset takes minutes, a big one longer). Try again in a few minutes; meanwhile hf_repo_files (operation "list", repo_type "dataset") can still list and read its files.',
    );
  });

  it('sample rows not ready yet: the rest stands, with a warning', async () => {
    const { tool, h } = await setup();
    const result = await h.run(tool, { dataset: 'acme/slow-rows' });
    expect(result.output).toContain('## Schema (default)');
    expect(result.output).not.toContain('## Sample Rows');
    expect(result.output).toContain(
      '**Warnings:** sample rows: not ready yet in the dataset viewer; try again in a few minutes',
    );
  });

  it('waits out a 429 with a short Retry-After, and reports a 429 that persists', async () => {
    const world = newWorld();
    let refusals = 0;
    world.faults = {
      splits: (request) => {
        if (request.query.get('dataset') === 'acme/reviews' && refusals++ === 0) {
          return { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '1' } };
        }
        if (request.query.get('dataset') === 'acme/pets') {
          // Kept short: the shared client waits a Retry-After (capped at 10 s) before each of its 2 retries.
          return { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '1' } };
        }
        return undefined;
      },
    };
    const { tool, h, server } = await setup(world);
    const out = (await h.run(tool, { dataset: 'acme/reviews' })).output;
    expect(out).toContain('## Structure (1 config)');
    const splitsCalls = viewerCalls(server, '/splits');
    expect(splitsCalls).toHaveLength(2);
    expect(splitsCalls[1]!.receivedAt - splitsCalls[0]!.receivedAt).toBeGreaterThanOrEqual(950);

    expect(await failure(h, tool, { dataset: 'acme/pets' })).toBe(
      'Could not inspect dataset acme/pets: the dataset viewer is rate limiting these requests (429); it asks to wait 1 s. Wait before retrying, or make fewer calls.',
    );
    expect(viewerCalls(server, '/splits').filter((r) => r.query.get('dataset') === 'acme/pets')).toHaveLength(
      3,
    );
  });

  it('times out a viewer that does not answer: the whole call for /splits, a warning for /first-rows', async () => {
    const world = newWorld();
    world.faults = {
      splits: (request) => (request.query.get('dataset') === 'acme/pets' ? { hang: true } : undefined),
      'first-rows': (request) =>
        request.query.get('dataset') === 'acme/reviews' ? { hang: true } : undefined,
    };
    const { tool, h } = await setup(world, { token: TOKEN, timeoutMs: 1_000 });
    const started = Date.now();
    expect(await failure(h, tool, { dataset: 'acme/pets' })).toBe(
      'Could not inspect dataset acme/pets: the dataset viewer did not answer within 1 s; try again, or ask for less.',
    );
    expect(Date.now() - started).toBeLessThan(5_000);

    const out = (await h.run(tool, { dataset: 'acme/reviews' })).output;
    expect(out).toContain('## Schema (plain_text)');
    expect(out).toContain('**Warnings:** sample rows: the dataset viewer did not answer within 2 s');
  });

  it('reports a malformed answer: not JSON, or JSON of the wrong shape', async () => {
    const world = newWorld();
    world.faults = {
      splits: (request) => {
        const id = request.query.get('dataset');
        if (id === 'acme/pets') return { status: 200, body: '<html>oops</html>' };
        if (id === 'acme/reviews') return { status: 200, body: { splits: 'everything' } };
        return undefined;
      },
      parquet: () => ({ status: 200, body: '{"parquet_files": [' }),
    };
    const { tool, h } = await setup(world);
    expect(await failure(h, tool, { dataset: 'acme/pets' })).toBe(
      'Could not inspect dataset acme/pets: the dataset viewer sent an answer that is not JSON (17 bytes); try again later.',
    );
    expect(await failure(h, tool, { dataset: 'acme/reviews' })).toBe(
      'Could not inspect dataset acme/reviews: the dataset viewer sent an answer of an unexpected shape for /splits; try again later.',
    );
    // A broken secondary answer only costs its section.
    const out = (await h.run(tool, { dataset: 'acme/assistant-mix' })).output;
    expect(out).toContain('## Sample Rows (sft/train)');
    expect(out).not.toContain('## Files (Parquet)');
    expect(out).toContain('parquet files: the dataset viewer sent an answer that is not JSON');
  });

  it('keeps a huge result under the cap and says what was cut', async () => {
    const { tool, h } = await setup();
    const out = (await h.run(tool, { dataset: 'acme/wide-set', sample_rows: 10 })).output;
    expect(out.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    expect(out).toMatch(/characters cut from the middle; ask for fewer sample_rows, or pass one config/);
    expect(out).toMatch(/^# acme\/wide-set\n/);
    expect(out).toContain('## Load');
  });

  it('never asks for approval and has no side effects', async () => {
    const { tool, h } = await setup();
    expect(tool.name).toBe('hf_inspect_dataset');
    expect(tool.sideEffects).toBe(false);
    expect(h.approval(tool, { dataset: 'acme/reviews' })).toBeUndefined();
    expect(
      h.approval(tool, { dataset: 'acme/gated-set', config: 'default', split: 'train', sample_rows: 10 }),
    ).toBeUndefined();
  });
});
