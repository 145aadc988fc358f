/**
 * The hf_papers tool against its three loopback services, fresh for each test: call
 * {@link usePapersTool} at the top of a test file. The bindings below are live (ESM): a test reads
 * the current test's tool, worlds and fakes through them.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { papersTools } from '../../src/tools/papers/index.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { arxivRoutes, type ArxivWorld } from '../fakes/arxiv-routes.js';
import { hubPapersRoutes, type HubPapersWorld } from '../fakes/hub-papers-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { semanticScholarRoutes, type SemanticScholarWorld } from '../fakes/semantic-scholar-routes.js';
import { HF_TOKEN, S2_KEY, arxivWorld, hubWorld, s2World } from './papers-worlds.js';
import { toolHarness, type ToolHarness } from './tool-harness.js';

export let hubFake: Loopback;
export let arxivFake: Loopback;
export let s2Fake: Loopback;
export let hub: HubPapersWorld;
export let arxiv: ArxivWorld;
export let s2: SemanticScholarWorld;
export let harness: ToolHarness;
export let tool: AnyToolSpec;
/** Every harness a test opened (a test may make a second tool), closed after it. */
const opened: ToolHarness[] = [];

export function makeTool(
  options: { timeoutMs?: number; hfToken?: string; s2Key?: string } = {},
): AnyToolSpec {
  harness = toolHarness({
    hub: { url: hubFake.url, token: options.hfToken ?? HF_TOKEN },
    arxiv: { url: arxivFake.url },
    semanticScholar: { url: s2Fake.url, key: options.s2Key },
  });
  opened.push(harness);
  const [papers] = papersTools(harness.services, { timeoutMs: options.timeoutMs ?? 5000 });
  if (!papers) throw new Error('papersTools returned no tool');
  return papers;
}

export async function run(args: Record<string, unknown>, use: AnyToolSpec = tool): Promise<string> {
  const result = await harness.run(use, args);
  expect(result.isError).toBeFalsy();
  expect(result.output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
  return result.output;
}

/** The message a failing call gives the model; it never carries a secret. */
export async function failure(
  args: Record<string, unknown>,
  use: AnyToolSpec = tool,
  signal?: AbortSignal,
): Promise<string> {
  const err = await harness.run(use, args, signal).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(Error);
  const message = (err as Error).message;
  expect(message).not.toContain(HF_TOKEN);
  expect(message).not.toContain(S2_KEY);
  expect(message).not.toMatch(/\n\s+at /);
  return message;
}

export const lastRequest = (fake: Loopback) => fake.requests[fake.requests.length - 1];

/** Starts the fakes and the tool before each test of the file, and stops them after. */
export function usePapersTool(): void {
  beforeEach(async () => {
    hub = hubWorld();
    arxiv = arxivWorld();
    s2 = s2World();
    hubFake = await startLoopback(hubPapersRoutes(hub));
    arxivFake = await startLoopback(arxivRoutes(arxiv));
    s2Fake = await startLoopback(semanticScholarRoutes(s2));
    tool = makeTool();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((h) => h.close()));
    await Promise.all([hubFake.close(), arxivFake.close(), s2Fake.close()]);
  });
}
