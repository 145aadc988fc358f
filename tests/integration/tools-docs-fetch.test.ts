import { describe, expect, it } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { ToolInputError } from '../../src/tools/shared/service-error.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { bigOpenApi, type OpenApiWorld } from '../fakes/hub-openapi-routes.js';
import { startLoopback } from '../fakes/loopback-http.js';
import {
  TOKEN,
  world,
  api,
  hub,
  harness,
  tools,
  failure,
  paths,
  count,
  useDocsHub,
} from '../helpers/docs-tools.js';

useDocsHub();

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
