import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { ServiceError, ToolInputError } from '../../src/tools/shared/service-error.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { docsTools } from '../../src/tools/docs/index.js';
import { hfDocsRoutes, sampleDocsWorld, type DocsWorld } from '../fakes/hf-docs-routes.js';
import {
  bigOpenApi,
  hubOpenApiRoutes,
  sampleOpenApi,
  type OpenApiWorld,
} from '../fakes/hub-openapi-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

const TOKEN = 'hf_docsTestSecretToken0123456789';

let world: DocsWorld;
let api: OpenApiWorld;
let hub: Loopback;
let harness: ToolHarness;
let tools: Record<'explore' | 'fetch' | 'api', AnyToolSpec>;

function toolsOf(specs: AnyToolSpec[]): typeof tools {
  const named = (name: string): AnyToolSpec => {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new Error(`no tool ${name}`);
    return spec;
  };
  return { explore: named('explore_hf_docs'), fetch: named('fetch_hf_docs'), api: named('find_hf_api') };
}

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

/** The error a call fails with; every failure must be a short ServiceError/ToolInputError without the token. */
async function failure(tool: AnyToolSpec, args: unknown): Promise<Error> {
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

const paths = (): string[] => hub.requests.map((r) => r.path);
const count = (path: string): number => paths().filter((p) => p === path).length;

describe('explore_hf_docs', () => {
  it('searches the Markdown pages of a section and links the best passage', async () => {
    const { output } = await harness.run(tools.explore, { endpoint: 'trl', query: 'packing short examples' });
    expect(output).toContain('# "packing short examples" in the trl docs (https://huggingface.co/docs/trl)');
    expect(output).toMatch(
      /1\. \*\*SFT Trainer › Packing\*\* — https:\/\/huggingface\.co\/docs\/trl\/sft_trainer#packing/,
    );
    expect(output).toContain('Packing groups several short examples into one sequence');
    expect(output).toContain('fetch_hf_docs');
    // The index, then each listed page as Markdown at its version-pinned URL, all with the token.
    expect(paths()).toContain('/docs/trl/llms.txt');
    expect(paths()).toContain('/docs/trl/v0.24.0/sft_trainer.md');
    expect(paths()).toContain('/docs/trl/v0.24.0/index.md');
    expect(hub.requests.every((r) => r.token === TOKEN)).toBe(true);
    expect(harness.logs.some((line) => line.includes('Reading the trl docs'))).toBe(true);
  });

  it("finds a config class by its heading and links the docs' own anchor", async () => {
    const { output } = await harness.run(tools.explore, {
      endpoint: 'trl',
      query: 'SFTConfig max_length',
      max_results: 3,
    });
    const first = output.split('\n').find((line) => line.startsWith('1. '));
    expect(first).toContain(
      '**SFT Trainer › SFTConfig** — https://huggingface.co/docs/trl/sft_trainer#trl.SFTConfig',
    );
    expect(output).toContain('the maximum length of a tokenized sequence');
    // Code comments are not headings: "# Train a model" never becomes a section.
    expect(output).not.toContain('› Train a model');
  });

  it('lists the pages of a section without a query, reading only its index', async () => {
    const { output } = await harness.run(tools.explore, { endpoint: 'TRL' });
    expect(output).toContain('# The trl docs (https://huggingface.co/docs/trl): 4 pages');
    expect(output).toContain(
      '## TRL — TRL is a full stack library for post-training transformer language models.',
    );
    expect(output).toContain('2. SFT Trainer — https://huggingface.co/docs/trl/sft_trainer');
    expect(output).toContain(
      '1. TRL - Transformer Reinforcement Learning — https://huggingface.co/docs/trl\n',
    );
    expect(paths()).toEqual(['/docs/trl/llms.txt']);
  });

  it('finds an index some libraries keep under /main/, and courses under /learn/', async () => {
    const evaluate = await harness.run(tools.explore, { endpoint: 'evaluate', query: 'evaluating models' });
    expect(evaluate.output).toContain('**Evaluate** — https://huggingface.co/docs/evaluate');
    expect(paths().slice(0, 2)).toEqual(['/docs/evaluate/llms.txt', '/docs/evaluate/main/llms.txt']);
    expect(paths()).toContain('/docs/evaluate/main/index.md');

    const courses = await harness.run(tools.explore, {
      endpoint: 'courses',
      query: 'tokenizers fine-tuning',
    });
    expect(courses.output).toContain('**Introduction** — https://huggingface.co/learn/llm-course/chapter1/1');
    expect(courses.output).toContain('No index for /learn/robotics-course');
    expect(paths()).toContain('/learn/llm-course/chapter1/1.md');
  });

  it('answers an unknown section with the valid ones, without a request', async () => {
    const err = await failure(tools.explore, { endpoint: 'pytorch', query: 'x' });
    expect(err).toBeInstanceOf(ToolInputError);
    expect(err.message).toMatch(/^Unknown docs endpoint "pytorch"\. Valid endpoints: hub, transformers, /);
    for (const name of [
      'trl',
      'peft',
      'datasets',
      'inference-providers',
      'inference-endpoints',
      'optimum',
      'smolagents',
      'trackio',
    ]) {
      expect(err.message).toContain(name);
    }
    const gradio = await failure(tools.explore, { endpoint: 'gradio' });
    expect(gradio.message).toContain('not on the Hub');
    expect(hub.requests).toHaveLength(0);
  });

  it('answers a second search from the Redis cache: the docs are fetched once', async () => {
    await harness.run(tools.explore, { endpoint: 'trl', query: 'packing' });
    const fetched = hub.requests.length;
    expect(fetched).toBe(5); // llms.txt and four pages
    // Another set of tools over the same services: nothing is kept in memory, the cache is Redis.
    const again = toolsOf(docsTools(harness.services));
    const second = await harness.run(again.explore, { endpoint: 'trl', query: 'DPOConfig beta' });
    expect(second.output).toContain('https://huggingface.co/docs/trl/dpo_trainer#trl.DPOConfig');
    await harness.run(again.explore, { endpoint: 'trl' });
    expect(hub.requests).toHaveLength(fetched);
    // fetch_hf_docs reads a current page from the same cache.
    const page = await harness.run(again.fetch, { url: 'https://huggingface.co/docs/trl/grpo_trainer' });
    expect(page.output).toContain('num_generations');
    expect(hub.requests).toHaveLength(fetched);
  });

  it('searches a page that failed to load by its title, and reads it on a later search', async () => {
    world.faults.push({
      path: /^\/docs\/trl\/v0\.24\.0\/dpo_trainer\.md$/,
      answer: { status: 500, body: { error: 'boom' } },
    });
    const { output } = await harness.run(tools.explore, { endpoint: 'trl', query: 'DPO Trainer' });
    expect(output).toMatch(
      /\*\*DPO Trainer\*\* — https:\/\/huggingface\.co\/docs\/trl\/dpo_trainer \(title only: text not read\)/,
    );
    expect(output).toContain('Note: 1 of 4 pages are searched by title only: 1 failed to load.');
    world.faults.length = 0;
    const before = hub.requests.length;
    const later = await harness.run(tools.explore, { endpoint: 'trl', query: 'chosen rejected completions' });
    expect(later.output).toContain('DPO Trainer › Expected dataset type');
    expect(paths().slice(before)).toEqual(['/docs/trl/v0.24.0/dpo_trainer.md']);
  });

  it('stops reading pages when the docs rate limit, and says so', async () => {
    world.faults.push({
      path: /\.md$/,
      answer: { status: 429, headers: { 'retry-after': '1' }, body: 'Too Many Requests' },
    });
    const { output } = await harness.run(tools.explore, { endpoint: 'trl', query: 'SFT Trainer' });
    expect(output).toContain(
      '**SFT Trainer** — https://huggingface.co/docs/trl/sft_trainer (title only: text not read)',
    );
    expect(output).toContain(
      '4 of 4 pages are searched by title only: the docs are rate limiting (a later search reads more).',
    );
  });

  it('reads at most maxPages pages per section, and stops when the turn is interrupted', async () => {
    const limited = toolsOf(docsTools(harness.services, { maxPages: 2 }));
    const { output } = await harness.run(limited.explore, { endpoint: 'trl', query: 'GRPO Trainer' });
    expect(output).toContain(
      'Note: 2 of 4 pages are searched by title only: only the first 2 pages are read.',
    );
    expect(output).toContain(
      '**GRPO Trainer** — https://huggingface.co/docs/trl/grpo_trainer (title only: text not read)',
    );
    expect(paths().filter((p) => p.endsWith('.md'))).toHaveLength(2);

    world.faults.push({ path: /peft\/.*\.md$/, answer: { hang: true } });
    const controller = new AbortController();
    const run = harness.run(tools.explore, { endpoint: 'peft', query: 'lora' }, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(run).rejects.toThrow('Stopped: the turn was interrupted.');
  });

  it('says what to do on a refused token (401), a 403, a missing index (404) and a rate limit (429)', async () => {
    world.validToken = 'hf_the_right_one';
    const unauthenticated = await failure(tools.explore, { endpoint: 'trl', query: 'x' });
    expect(unauthenticated.message).toBe(
      'the Hugging Face docs refused the request (401, not authenticated): Invalid credentials in Authorization header. HF_TOKEN was refused: set it to a valid token, or unset it (the docs are public).',
    );
    delete world.validToken;

    world.faults.push({
      path: /llms\.txt$/,
      answer: { status: 403, body: { error: 'Forbidden' } },
      times: 1,
    });
    const forbidden = await failure(tools.explore, { endpoint: 'peft', query: 'x' });
    expect(forbidden.message).toContain('refused access (403): Forbidden.');

    const missing = await failure(tools.explore, { endpoint: 'transformers', query: 'x' });
    expect(missing.message).toContain(
      'have no Markdown index for "transformers" (404 at /docs/transformers/llms.txt)',
    );
    expect(missing.message).toContain('fetch_hf_docs');

    world.faults.push({
      path: /llms\.txt$/,
      answer: { status: 429, headers: { 'retry-after': '1' }, body: { error: 'rate limited' } },
    });
    const before = count('/docs/trl/llms.txt');
    const limited = await failure(tools.explore, { endpoint: 'trl', query: 'x' });
    expect(limited.message).toContain(
      'is rate limiting these requests (429); it asks to wait 1 s. Wait before retrying',
    );
    expect(count('/docs/trl/llms.txt') - before).toBe(3); // the first try and two retries after Retry-After
  }, 15_000);

  it('retries a 429 after its Retry-After and then answers', async () => {
    world.faults.push({
      path: /llms\.txt$/,
      answer: { status: 429, headers: { 'retry-after': '1' }, body: '' },
      times: 1,
    });
    const { output } = await harness.run(tools.explore, { endpoint: 'peft' });
    expect(output).toContain('2. LoRA — https://huggingface.co/docs/peft/package_reference/lora');
    expect(count('/docs/peft/llms.txt')).toBe(2);
  });

  it('gives up on a hung index after the timeout, and rejects an index that lists no pages', async () => {
    world.faults.push({ path: /^\/docs\/trl\/llms\.txt$/, answer: { hang: true } });
    const hung = await failure(tools.explore, { endpoint: 'trl', query: 'x' });
    expect(hung.message).toBe('the Hugging Face docs did not answer within 1 s; try again, or ask for less.');

    world.faults.push({
      path: /^\/docs\/peft\/llms\.txt$/,
      answer: { headers: { 'content-type': 'text/html' }, body: '<html><body>Loading…</body></html>' },
    });
    const malformed = await failure(tools.explore, { endpoint: 'peft', query: 'x' });
    expect(malformed.message).toMatch(
      /sent an index for docs\/peft that lists no pages \(\d+ bytes, text\/html\); try again later\./,
    );
  });

  it('keeps its results under the cap', async () => {
    world.sections[0]?.pages.push(
      ...Array.from({ length: 60 }, (_, i) => ({
        path: `guide_${i}`,
        title: `Training guide ${i}`,
        markdown: `# Training guide ${i}\n\n${'Training with the trainer is explained here at length. '.repeat(40)}`,
      })),
    );
    const { output } = await harness.run(tools.explore, {
      endpoint: 'trl',
      query: 'training trainer',
      max_results: 80,
    });
    expect(output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    expect(output).toContain('(50 at most)');
    expect(output).toContain('characters cut from the middle');
  });
});

describe('fetch_hf_docs', () => {
  it('reads a page as Markdown from HF_ENDPOINT, with the token', async () => {
    const { output } = await harness.run(tools.fetch, { url: 'https://huggingface.co/docs/trl/sft_trainer' });
    expect(
      output.startsWith('Documentation from https://huggingface.co/docs/trl/sft_trainer:\n\n# SFT Trainer'),
    ).toBe(true);
    expect(output).toContain('## Packing');
    expect(hub.requests.map((r) => [r.path, r.token])).toEqual([['/docs/trl/sft_trainer.md', TOKEN]]);
  });

  it('reads the forms a docs URL comes in: a pinned version, hf.co, a bare path, HF_ENDPOINT itself', async () => {
    await harness.run(tools.fetch, { url: 'https://huggingface.co/docs/trl/v0.24.0/en/dpo_trainer' });
    await harness.run(tools.fetch, { url: 'hf.co/docs/peft/package_reference/lora.md' });
    await harness.run(tools.fetch, { url: '/docs/trl' });
    const own = await harness.run(tools.fetch, { url: `${hub.url}/learn/llm-course/chapter1/1` });
    expect(own.output).toContain('Documentation from https://huggingface.co/learn/llm-course/chapter1/1:');
    expect(paths()).toEqual([
      '/docs/trl/v0.24.0/en/dpo_trainer.md',
      '/docs/peft/package_reference/lora.md',
      '/docs/trl/index.md',
      '/learn/llm-course/chapter1/1.md',
    ]);
  });

  it('gives one section for a #anchor', async () => {
    const { output } = await harness.run(tools.fetch, {
      url: 'https://huggingface.co/docs/trl/sft_trainer#trl.SFTConfig',
    });
    expect(output).toMatch(
      /^Section "SFTConfig" of https:\/\/huggingface\.co\/docs\/trl\/sft_trainer \(lines \d+–\d+\)/,
    );
    expect(output).toContain('`packing` (bool, defaults to False)');
    expect(output).not.toContain('## Quick start');
    const slugged = await harness.run(tools.fetch, {
      url: 'https://huggingface.co/docs/trl/sft_trainer#train-on-completions-only',
    });
    expect(slugged.output).toContain('completion_only_loss=True');
    expect(slugged.output).not.toContain('## Packing');
  });

  it('refuses any other host or path before making a request', async () => {
    const elsewhere = await startLoopback([
      { method: 'GET', path: /.*/, handle: () => ({ body: '# stolen' }) },
    ]);
    try {
      for (const url of [
        'https://evil.example.com/docs/trl/sft_trainer',
        `${elsewhere.url}/docs/trl/sft_trainer`,
        'https://huggingface.co.evil.example/docs/trl/sft_trainer',
      ]) {
        const err = await failure(tools.fetch, { url });
        expect(err).toBeInstanceOf(ToolInputError);
        expect(err.message).toContain('fetch_hf_docs reads Hugging Face documentation only');
      }
      const api = await failure(tools.fetch, { url: 'https://huggingface.co/api/whoami-v2' });
      expect(api.message).toContain('/api/whoami-v2 is not a documentation page');
      const creds = await failure(tools.fetch, {
        url: 'https://user:pass@huggingface.co/docs/trl/sft_trainer',
      });
      expect(creds.message).toBe('A docs URL carries no credentials.');
      const scheme = await failure(tools.fetch, { url: 'file:///etc/passwd' });
      expect(scheme.message).toContain('not documentation pages');
      expect(elsewhere.requests).toHaveLength(0);
      expect(hub.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('says what to do on 404, 401, 429, a timeout and an empty answer', async () => {
    const missing = await failure(tools.fetch, { url: 'https://huggingface.co/docs/trl/no_such_page' });
    expect(missing.message).toBe(
      'Not found on the Hugging Face docs (404). Check the URL: take page URLs from explore_hf_docs results (the page may have moved in a newer version).',
    );
    world.validToken = 'hf_the_right_one';
    const refused = await failure(tools.fetch, { url: 'https://huggingface.co/docs/trl/sft_trainer' });
    expect(refused.message).toContain('(401, not authenticated)');
    delete world.validToken;

    world.faults.push({
      path: /dpo_trainer\.md$/,
      answer: { status: 429, headers: { 'retry-after': '1' }, body: '' },
    });
    const limited = await failure(tools.fetch, { url: 'https://huggingface.co/docs/trl/dpo_trainer' });
    expect(limited.message).toContain('(429); it asks to wait 1 s');

    world.faults.push({ path: /grpo_trainer\.md$/, answer: { hang: true } });
    const hung = await failure(tools.fetch, { url: 'https://huggingface.co/docs/trl/grpo_trainer' });
    expect(hung.message).toContain('did not answer within 1 s');

    world.faults.push({
      path: /peft\/index\.md$/,
      answer: { headers: { 'content-type': 'text/markdown' }, body: '  \n' },
    });
    const empty = await failure(tools.fetch, { url: 'https://huggingface.co/docs/peft' });
    expect(empty.message).toBe('the Hugging Face docs sent an empty page; try again later, or another page.');
  }, 15_000);

  it('extracts the text of a page served as HTML', async () => {
    world.faults.push({
      path: /chat_templating\.md$/,
      answer: {
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<!doctype html><html><head><script>var x=1</script></head><body><nav>Menu</nav><main><h1>Chat templates</h1><p>Use apply_chat_template.</p></main></body></html>',
      },
    });
    const { output } = await harness.run(tools.fetch, {
      url: 'https://huggingface.co/docs/trl/chat_templating',
    });
    expect(output).toContain('(extracted from the HTML page: it has no Markdown form)');
    expect(output).toContain('Use apply_chat_template.');
    expect(output).not.toContain('Menu');
    expect(output).not.toContain('var x');
  });

  it('cuts a long page to the cap and says how to read a section', async () => {
    world.sections[0]?.pages.push({
      path: 'big_reference',
      title: 'Big',
      markdown: `# Big\n\n${'A long reference line about trainer arguments.\n'.repeat(2_000)}## End\n\nlast words`,
    });
    const { output } = await harness.run(tools.fetch, {
      url: 'https://huggingface.co/docs/trl/big_reference',
    });
    expect(output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    expect(output).toContain('characters cut from the middle; fetch one section instead: add #<anchor>');
    expect(output.endsWith('last words')).toBe(true);
  });
});

describe('find_hf_api', () => {
  it('lists the tags without arguments', async () => {
    const { output } = await harness.run(tools.api, {});
    expect(output).toContain('# Hub API Endpoints: 12 endpoints in 6 tags');
    expect(output).toContain('- `models` (6): Model repositories');
    expect(output).toContain('- `spaces` (2): Spaces: apps, their hardware, logs and metrics');
    expect(paths()).toEqual(['/.well-known/openapi.json']);
    expect(hub.requests[0]?.token).toBe(TOKEN);
  });

  it('finds an endpoint by keywords, with its parameters and a curl request that leaves the token to the shell', async () => {
    const { output } = await harness.run(tools.api, { query: 'space logs' });
    expect(output).toContain('## 1. GET /api/spaces/{namespace}/{repo}/logs/{logType} — Stream logs');
    expect(output).toContain('- `logType` (path, string, required, one of "build"|"run")');
    expect(output).toContain(
      'curl -s "${HF_ENDPOINT:-https://huggingface.co}/api/spaces/<namespace>/<repo>/logs/build" \\\n  -H "Authorization: Bearer $HF_TOKEN"',
    );
    expect(output).toContain('Returns: 200 An event stream');
    expect(output).not.toContain(TOKEN);
  });

  it('fills JSON bodies, $ref parameters and required query parameters', async () => {
    const branch = await harness.run(tools.api, { query: 'create branch' });
    expect(branch.output).toContain('## 1. POST /api/models/{namespace}/{repo}/branch/{rev} — Create branch');
    expect(branch.output).toContain('- `startingPoint` (string, optional): The revision to branch from');
    expect(branch.output).toContain(
      `curl -s -X POST "\${HF_ENDPOINT:-https://huggingface.co}/api/models/openai-community/gpt2/branch/<rev>" \\\n  -H "Authorization: Bearer $HF_TOKEN" \\\n  -H "Content-Type: application/json" \\\n  -d '{"startingPoint":"<startingPoint>","emptyBranch":false,"overwrite":false}'`,
    );
    const create = await harness.run(tools.api, { query: 'create repository' });
    expect(create.output).toContain('## 1. POST /api/repos/create — Create a new repository');
    expect(create.output).toContain(`-d '{"name":"<name>"}'`);
    expect(create.output).toContain('- `type` (string, optional, one of "model"|"dataset"|"space")');
    const members = await harness.run(tools.api, { query: 'organization members' });
    expect(members.output).toContain('- `name` (path, string, required): The organization name');
    const jwt = await harness.run(tools.api, { query: 'jwt' });
    expect(jwt.output).toContain(
      '/api/models/openai-community/gpt2/jwt?expiration=2030-01-01T00%3A00%3A00Z"',
    );
    expect(count('/.well-known/openapi.json')).toBe(1); // cached in Redis after the first call
  });

  it('browses a tag, searches within one, and refuses an unknown one with the list', async () => {
    const models = await harness.run(tools.api, { tag: 'models' });
    expect(models.output).toContain('# Hub API endpoints for tag `models`: 6 found');
    expect(models.output).toContain('GET /api/models/{namespace}/{repo}/scan — Get security status');
    const within = await harness.run(tools.api, { tag: 'models', query: 'security scan' });
    expect(within.output).toContain('## 1. GET /api/models/{namespace}/{repo}/scan — Get security status');
    const fallback = await harness.run(tools.api, { tag: 'auth', query: 'branch' });
    expect(fallback.output).toContain('No endpoint in `auth` matches "branch"; here is the whole tag.');
    expect(fallback.output).toContain('GET /api/whoami-v2 — Get user info');
    const none = await harness.run(tools.api, { query: 'zzzqqq' });
    expect(none.output).toContain('No Hub API endpoint matches "zzzqqq"');
    const unknown = await failure(tools.api, { tag: 'widgets' });
    expect(unknown.message).toBe('Unknown tag "widgets". Tags: models, datasets, spaces, repos, orgs, auth.');
  });

  it('says what to do on 401, 403, 404, 429, a timeout and a malformed description', async () => {
    const cases: [OpenApiWorld['fault'], RegExp][] = [
      [
        { answer: { status: 401, body: { error: 'Invalid credentials in Authorization header' } }, times: 1 },
        /refused the request \(401, not authenticated\): Invalid credentials in Authorization header\. Set HF_TOKEN to a valid token/,
      ],
      [
        { answer: { status: 403, body: { error: 'Forbidden' } }, times: 1 },
        /refused access \(403\): Forbidden\./,
      ],
      [
        { answer: { status: 404, body: { error: 'Not Found' } }, times: 1 },
        /\(404\): Not Found\. HF_ENDPOINT serves no OpenAPI description at \/\.well-known\/openapi\.json/,
      ],
      [
        { answer: { status: 429, headers: { 'retry-after': '1' }, body: '' } },
        /rate limiting these requests \(429\); it asks to wait 1 s/,
      ],
      [{ answer: { hang: true } }, /did not answer within 1 s/],
      [
        { answer: { headers: { 'content-type': 'text/html' }, body: '<html>maintenance</html>' } },
        /sent an answer that is not JSON/,
      ],
      [{ answer: { body: { openapi: '3.1.0', info: {} } } }, /sent an OpenAPI description without any paths/],
    ];
    for (const [fault, message] of cases) {
      api.fault = fault;
      const err = await failure(tools.api, { query: 'models' });
      expect(err.message).toMatch(message);
    }
  }, 20_000);

  it('keeps its results under the cap', async () => {
    api.document = bigOpenApi(120);
    const browse = await harness.run(tools.api, { tag: 'things' });
    expect(browse.output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    expect(browse.output).toContain('# Hub API endpoints for tag `things`: 120 found');
    const search = await harness.run(tools.api, { query: 'thing part verbose' });
    expect(search.output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
  });
});

describe('the docs tools', () => {
  it('never ask for approval and change nothing', () => {
    const calls: [AnyToolSpec, unknown][] = [
      [tools.explore, { endpoint: 'trl', query: 'sft' }],
      [tools.fetch, { url: 'https://huggingface.co/docs/trl/sft_trainer' }],
      [tools.api, { query: 'create repository' }],
      [tools.api, {}],
    ];
    for (const [tool, args] of calls) {
      expect(harness.approval(tool, args)).toBeUndefined();
      expect(tool.sideEffects).toBe(false);
    }
  });
});
