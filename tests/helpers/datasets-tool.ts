/**
 * hf_inspect_dataset against a loopback dataset viewer and the Hub's auth-check: the datasets it
 * serves ({@link newWorld}), {@link setup} to start them for a test, and {@link useDatasetsServer}
 * to stop what a test started.
 */
import { afterEach, expect } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { datasetsTools } from '../../src/tools/datasets/index.js';
import {
  datasetsServerRoutes,
  fakeFeature,
  hubDatasetAuthCheckRoutes,
  type DatasetsServerWorld,
  type FakeViewerDataset,
} from '../fakes/datasets-server-routes.js';
import { startLoopback, type Loopback, type LoopbackRequest } from '../fakes/loopback-http.js';
import { toolHarness, type ToolHarness } from './tool-harness.js';

export const TOKEN = 'hf_datasetsToolTestToken123';
export const { value } = fakeFeature;

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

export function newWorld(): DatasetsServerWorld {
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

export async function setup(
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

export const viewerCalls = (server: Loopback, path?: string): LoopbackRequest[] =>
  server.requests.filter((r) => !r.path.startsWith('/api/') && (path === undefined || r.path === path));

export async function failure(h: ToolHarness, tool: AnyToolSpec, args: unknown): Promise<string> {
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

/** Closes the harness and the loopback viewer a test set up, after each test of the file. */
export function useDatasetsServer(): void {
  afterEach(async () => {
    await harness?.close();
    await loopback?.close();
    harness = undefined;
    loopback = undefined;
  });
}
