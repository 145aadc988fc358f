/**
 * hf_repo_files and hf_repo_git against a loopback Hub that speaks what @huggingface/hub and
 * huggingface_hub send: tree pages, resolve with ranges, preupload + NDJSON commit, refs, branches,
 * tags, discussions, repo creation and settings. Tokens start with hf_, as @huggingface/hub demands.
 * Call {@link useRepoWorld} at the top of a test file and {@link startHub} in each test; the
 * bindings below are live (ESM), so a test reads the current world, fake and tools through them.
 */
import { afterEach, beforeEach, expect } from 'vitest';
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
  hubRepoRoutes,
  type HubRepoWorld,
} from '../fakes/hub-repo-routes.js';
import { toolHarness, type ToolHarness } from './tool-harness.js';

export const WRITER = 'hf_writerToken0123456789abcdefghijkl';
export const READER = 'hf_readerToken0123456789abcdefghijkl';
export const STRANGER = 'hf_strangerToken0123456789abcdefghij';
export const UNKNOWN = 'hf_unknownToken0123456789abcdefghijk';
const TOKENS = [WRITER, READER, STRANGER, UNKNOWN];

export let world: HubRepoWorld;
export let hub: Loopback;
export let harness: ToolHarness;
export let files: AnyToolSpec;
export let git: AnyToolSpec;

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
export async function startHub(
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

export async function run(tool: AnyToolSpec, args: Record<string, unknown>): Promise<string> {
  const result = await harness.run(tool, args);
  expect(result.isError).not.toBe(true);
  expectClean(result.output);
  return result.output;
}

/** The message a failing call gives the model (the agent turns the throw into the call's result). */
export async function failure(tool: AnyToolSpec, args: Record<string, unknown>): Promise<string> {
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
export function replace(
  routes: Route[],
  method: string,
  sample: string,
  answer: (req: LoopbackRequest, original: Route) => LoopbackAnswer | Promise<LoopbackAnswer>,
): Route[] {
  const original = routes.find((r) => r.method === method && r.path instanceof RegExp && r.path.test(sample));
  if (!original) throw new Error(`no fake route for ${method} ${sample}`);
  return [{ method, path: original.path, handle: (req) => answer(req, original) }];
}

export function demo(): NonNullable<ReturnType<HubRepoWorld['repos']['get']>> {
  const repo = world.repos.get('model:intern/demo');
  if (!repo) throw new Error('seed repo missing');
  return repo;
}

/** A freshly seeded Hub world before each test of the file; the harness and the fake stopped after. */
export function useRepoWorld(): void {
  beforeEach(() => {
    world = seedWorld();
  });
  afterEach(async () => {
    await harness?.close();
    await hub?.close();
  });
}
