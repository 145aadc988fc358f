import { afterEach, describe, expect, it } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { datasetsTools } from '../../src/tools/datasets/index.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import {
  datasetsServerRoutes,
  fakeFeature,
  hubDatasetAuthCheckRoutes,
  type DatasetsServerWorld,
  type FakeViewerDataset,
} from '../fakes/datasets-server-routes.js';
import { startLoopback, type Loopback, type LoopbackRequest } from '../fakes/loopback-http.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

const TOKEN = 'hf_datasetsToolTestToken123';
const { value } = fakeFeature;

const chat = (i: number) => [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: `Question ${i}: how do I fine-tune a model on my own data?` },
  { role: 'assistant', content: `Answer ${i}: ${'use TRL SFTTrainer with a chat template. '.repeat(6)}` },
];

const assistantMix: FakeViewerDataset = {
  id: 'acme/assistant-mix',
  configs: [
    {
      name: 'sft',
      features: {
        messages: { feature: { content: value('string'), role: value('string') }, _type: 'List' },
        source: value('string'),
      },
      splits: [
        // `test` listed first: the default split must still be `train`.
        {
          name: 'test',
          rows: [0, 1].map((i) => ({ messages: chat(100 + i), source: 'eval' })),
          numRows: 120,
        },
        {
          name: 'train',
          rows: [0, 1, 2, 3, 4].map((i) => ({ messages: chat(i), source: 'forum' })),
          numRows: 1200,
          parquetFiles: [3 * 1024 * 1024, 2 * 1024 * 1024],
        },
      ],
    },
    {
      name: 'dpo',
      features: { prompt: value('string'), chosen: value('string'), rejected: value('string') },
      splits: [
        {
          name: 'train_prefs',
          rows: [0, 1, 2].map((i) => ({ prompt: `P${i}`, chosen: `good ${i}`, rejected: `bad ${i}` })),
          numRows: 500,
        },
        { name: 'test_prefs', rows: [{ prompt: 'P', chosen: 'good', rejected: 'bad' }], numRows: 50 },
      ],
    },
  ],
};

const petNames = [
  'abyssinian',
  'beagle',
  'bengal',
  'birman',
  'boxer',
  'chihuahua',
  'havanese',
  'persian',
  'pug',
  'ragdoll',
  'samoyed',
  'sphynx',
];
const pets: FakeViewerDataset = {
  id: 'acme/pets',
  configs: [
    {
      name: 'default',
      features: { image: { _type: 'Image' }, label: { names: petNames, _type: 'ClassLabel' } },
      splits: [
        {
          name: 'train',
          rows: Array.from({ length: 30 }, (_, i) => ({
            image: {
              src: `https://datasets-server.huggingface.co/cached-assets/acme/pets/--/abc/--/default/train/${i}/image/image.jpg?Expires=1&Signature=${'x'.repeat(200)}`,
              height: 480,
              width: 640,
            },
            label: i % 12,
          })),
        },
      ],
    },
  ],
};

const reviews: FakeViewerDataset = {
  id: 'acme/reviews',
  configs: [
    {
      name: 'plain_text',
      features: { text: value('string'), label: { names: ['neg', 'pos'], _type: 'ClassLabel' } },
      splits: [
        { name: 'train', rows: [{ text: 'Great film.\nLoved it.', label: 1 }], numRows: 25000 },
        { name: 'test', rows: [{ text: 'Dull.', label: 0 }], numRows: 25000 },
      ],
    },
  ],
};

const wide: FakeViewerDataset = {
  id: 'acme/wide-set',
  configs: [
    {
      name: 'default',
      features: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`column_${i}`, value('string')])),
      splits: [
        {
          name: 'train',
          rows: Array.from({ length: 20 }, (_, r) =>
            Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`column_${i}`, `row ${r} `.repeat(40)])),
          ),
        },
      ],
    },
  ],
};

const tiny = (id: string, extra: Partial<FakeViewerDataset>): FakeViewerDataset => ({
  id,
  configs: [
    {
      name: 'default',
      features: { text: value('string') },
      splits: [{ name: 'train', rows: [{ text: 'hi' }] }],
    },
  ],
  ...extra,
});

function newWorld(): DatasetsServerWorld {
  return {
    datasets: [
      assistantMix,
      pets,
      reviews,
      wide,
      tiny('acme/gated-set', { gated: true, readers: ['hf_someoneElse'] }),
      tiny('acme/private-set', { private: true, readers: [TOKEN] }),
      tiny('acme/hidden-set', { private: true, readers: ['hf_someoneElse'] }),
      tiny('acme/fresh-set', { notReady: true }),
      tiny('acme/slow-rows', { notReady: ['first-rows'] }),
      tiny('acme/no-viewer', { viewerDisabled: true }),
    ],
    validTokens: [TOKEN, 'hf_someoneElse'],
  };
}

let loopback: Loopback | undefined;
let harness: ToolHarness | undefined;

afterEach(async () => {
  await harness?.close();
  await loopback?.close();
  harness = undefined;
  loopback = undefined;
});

async function setup(
  world: DatasetsServerWorld = newWorld(),
  options: { token?: string | undefined; timeoutMs?: number } = { token: TOKEN },
): Promise<{ tool: AnyToolSpec; h: ToolHarness; server: Loopback; world: DatasetsServerWorld }> {
  // One loopback serves both the viewer and the Hub's auth-check (their paths do not overlap).
  loopback = await startLoopback([...datasetsServerRoutes(world), ...hubDatasetAuthCheckRoutes(world)]);
  harness = toolHarness({
    hub: { url: loopback.url, token: options.token },
    datasetsServer: { url: loopback.url },
  });
  const [tool] = datasetsTools(harness.services, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {});
  return { tool: tool!, h: harness, server: loopback, world };
}

const viewerCalls = (server: Loopback, path?: string): LoopbackRequest[] =>
  server.requests.filter((r) => !r.path.startsWith('/api/') && (path === undefined || r.path === path));

async function failure(h: ToolHarness, tool: AnyToolSpec, args: unknown): Promise<string> {
  const err = await h.run(tool, args).then(
    () => {
      throw new Error('the call was expected to fail');
    },
    (e: unknown) => e,
  );
  const message = err instanceof Error ? err.message : String(err);
  expect(message).not.toContain(TOKEN);
  return message;
}

describe('hf_inspect_dataset', () => {
  it('inspects a dataset: status, configs and splits with rows, schema, format, samples, parquet, in parallel', async () => {
    const world = newWorld();
    world.delayMs = 300;
    const { tool, h, server } = await setup(world);
    const result = await h.run(tool, { dataset: 'acme/assistant-mix' });
    const out = result.output;

    expect(result.isError).toBeFalsy();
    expect(out).toMatch(/^# acme\/assistant-mix\nhttps:\/\/huggingface\.co\/datasets\/acme\/assistant-mix\n/);
    expect(out).toContain('## Status\n✓ Valid (viewer, preview, search, filter, statistics)');
    expect(out).toContain('## Structure (2 configs)');
    expect(out).toContain('| sft | train | 1,200 |');
    expect(out).toContain('| sft | test | 120 |');
    expect(out).toContain('| dpo | train_prefs | 500 |');
    // The first config, and `train` although `test` comes first.
    expect(out).toContain('## Schema (sft)');
    expect(out).toContain('| messages | list<{content: string, role: string}> |');
    expect(out).toContain('| source | string |');
    expect(out).toMatch(/## Training format\n- Conversational \(`messages`/);
    expect(out).toContain('## Sample Rows (sft/train)');
    expect(out.match(/\*\*Row \d+:\*\*/g)).toHaveLength(3);
    expect(out).toContain('**Roles:** assistant, system, user');
    expect(out).toContain('**Message keys:** role ✓, content ✓, tool_calls ✗');
    expect(out).toContain('"role": "assistant"');
    expect(out).toContain('- sft/train: 2 file(s) (5.0 MB)');
    expect(out).toContain('`load_dataset("acme/assistant-mix", "sft", split="train")`');
    expect(out).not.toContain('**Warnings:**');
    // Long cells are cut at 150 characters.
    const messagesLine = out.split('\n').find((line) => line.startsWith('- messages: '))!;
    expect(messagesLine.length).toBeLessThanOrEqual('- messages: '.length + 150 + 3);
    expect(messagesLine.endsWith('...')).toBe(true);

    // Phase 1: four dataset-wide requests in flight together (each answer takes 300 ms).
    const phase1 = ['/is-valid', '/splits', '/parquet', '/size'].map((p) => viewerCalls(server, p));
    phase1.forEach((calls) => expect(calls).toHaveLength(1));
    const starts1 = phase1.map((calls) => calls[0]!.receivedAt);
    expect(Math.max(...starts1) - Math.min(...starts1)).toBeLessThan(150);
    // Phase 2: /info and /first-rows together, once the config and split are known.
    const [info] = viewerCalls(server, '/info');
    const [rows] = viewerCalls(server, '/first-rows');
    expect(Object.fromEntries(info!.query)).toEqual({ dataset: 'acme/assistant-mix', config: 'sft' });
    expect(Object.fromEntries(rows!.query)).toEqual({
      dataset: 'acme/assistant-mix',
      config: 'sft',
      split: 'train',
    });
    expect(Math.abs(info!.receivedAt - rows!.receivedAt)).toBeLessThan(150);
    expect(info!.receivedAt - Math.min(...starts1)).toBeGreaterThanOrEqual(250);
    expect(viewerCalls(server)).toHaveLength(6);
    // Every viewer call carries the Hub token.
    viewerCalls(server).forEach((r) => expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`));
    // No access problem: the Hub's auth-check was never needed.
    expect(server.requests.filter((r) => r.path.startsWith('/api/'))).toHaveLength(0);
  });

  it('sends all six requests at once when the config and split are given, and reads a preference format', async () => {
    const world = newWorld();
    world.delayMs = 300;
    const { tool, h, server } = await setup(world);
    const out = (
      await h.run(tool, { dataset: 'acme/assistant-mix', config: 'dpo', split: 'test_prefs', sample_rows: 1 })
    ).output;

    const starts = viewerCalls(server).map((r) => r.receivedAt);
    expect(starts).toHaveLength(6);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(150);
    expect(out).toContain('## Schema (dpo)');
    expect(out).toContain('Preference, standard (`prompt`, `chosen`, `rejected`): ready for DPO');
    expect(out).toContain('## Sample Rows (dpo/test_prefs)');
    expect(out.match(/\*\*Row \d+:\*\*/g)).toHaveLength(1);
    expect(out).not.toContain('Messages Column Format');
  });

  it('shows ClassLabel names, media cells as placeholders, at most 10 sample rows, and the first split when there is no train', async () => {
    const { tool, h } = await setup();
    const out = (await h.run(tool, { dataset: 'acme/pets', sample_rows: 50 })).output;
    expect(out.match(/\*\*Row \d+:\*\*/g)).toHaveLength(10);
    expect(out).toContain('| label | ClassLabel (abyssinian=0, beagle=1, bengal=2');
    expect(out).toContain('… 12 classes) |');
    expect(out).toContain('| image | Image |');
    expect(out).toContain('- image: [image 640×480]');
    expect(out).not.toContain('Signature=');
    expect(out).toContain('`load_dataset("acme/pets", split="train")`');

    const review = (await h.run(tool, { dataset: 'acme/reviews', split: 'test' })).output;
    expect(review).toContain('| label | ClassLabel (neg=0, pos=1) |');
    expect(review).toContain('Language modeling (`text`)');
    expect(review).toContain('## Sample Rows (plain_text/test)');
  });

  it('keeps multi-line cells on one line', async () => {
    const { tool, h } = await setup();
    const out = (await h.run(tool, { dataset: 'acme/reviews' })).output;
    expect(out).toContain('- text: Great film.\\nLoved it.');
  });

  it('names the configs or splits there are when the ones asked for do not exist', async () => {
    const { tool, h } = await setup();
    expect(await failure(h, tool, { dataset: 'acme/assistant-mix', config: 'rlhf' })).toBe(
      'Dataset acme/assistant-mix has no config "rlhf"; its configs: sft, dpo.',
    );
    expect(await failure(h, tool, { dataset: 'acme/assistant-mix', config: 'dpo', split: 'train' })).toBe(
      'Config "dpo" of acme/assistant-mix has no split "train"; its splits: train_prefs, test_prefs.',
    );
  });

  it('accepts a Hub URL as the id and refuses what is not an id', async () => {
    const { tool, h, server } = await setup();
    const out = (
      await h.run(tool, { dataset: 'https://huggingface.co/datasets/acme/reviews/viewer/plain_text/train' })
    ).output;
    expect(out).toMatch(/^# acme\/reviews\n/);
    expect(await failure(h, tool, { dataset: 'not a dataset!' })).toMatch(
      /is not a dataset id: give it as owner\/name/,
    );
    expect(viewerCalls(server).every((r) => r.query.get('dataset') === 'acme/reviews')).toBe(true);
  });

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
