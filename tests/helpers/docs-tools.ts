/**
 * explore_hf_docs, fetch_hf_docs and find_hf_api against a loopback Hub that serves the docs pages
 * and the Hub's OpenAPI document. Call {@link useDocsHub} at the top of a test file; the bindings
 * below are live (ESM), so a test reads the current world, fake and tools through them.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { ServiceError, ToolInputError } from '../../src/tools/shared/service-error.js';
import { docsTools } from '../../src/tools/docs/index.js';
import { hfDocsRoutes, sampleDocsWorld, type DocsWorld } from '../fakes/hf-docs-routes.js';
import { hubOpenApiRoutes, sampleOpenApi, type OpenApiWorld } from '../fakes/hub-openapi-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { toolHarness, type ToolHarness } from './tool-harness.js';

export const TOKEN = 'hf_docsTestSecretToken0123456789';

export let world: DocsWorld;
export let api: OpenApiWorld;
export let hub: Loopback;
export let harness: ToolHarness;
export let tools: Record<'explore' | 'fetch' | 'api', AnyToolSpec>;

export function toolsOf(specs: AnyToolSpec[]): typeof tools {
  const named = (name: string): AnyToolSpec => {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new Error(`no tool ${name}`);
    return spec;
  };
  return { explore: named('explore_hf_docs'), fetch: named('fetch_hf_docs'), api: named('find_hf_api') };
}

/** The error a call fails with; every failure must be a short ServiceError/ToolInputError without the token. */
export async function failure(tool: AnyToolSpec, args: unknown): Promise<Error> {
  const error = await harness.run(tool, args).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(Error);
  const err = error as Error;
  expect(err instanceof ServiceError || err instanceof ToolInputError).toBe(true);
  expect(err.message).not.toContain(TOKEN);
  expect(err.message.length).toBeLessThan(600);
  return err;
}

export const paths = (): string[] => hub.requests.map((r) => r.path);
export const count = (path: string): number => paths().filter((p) => p === path).length;

/** A loopback Hub serving the sample docs and OpenAPI document, and the three tools on it, fresh for each test of the file. */
export function useDocsHub(): void {
  beforeEach(async () => {
    world = sampleDocsWorld();
    api = { document: sampleOpenApi() };
    hub = await startLoopback([...hfDocsRoutes(world), ...hubOpenApiRoutes(api)]);
    harness = toolHarness({ hub: { url: hub.url, token: TOKEN } });
    tools = toolsOf(docsTools(harness.services, { timeoutMs: 1_000 }));
  });

  afterEach(async () => {
    await harness.close();
    await hub.close();
  });
}
