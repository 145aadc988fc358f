import { describe, expect, it } from 'vitest';
import { ToolInputError } from '../../src/tools/shared/service-error.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { docsTools } from '../../src/tools/docs/index.js';
import {
  TOKEN,
  world,
  hub,
  harness,
  tools,
  toolsOf,
  failure,
  paths,
  count,
  useDocsHub,
} from '../helpers/docs-tools.js';

useDocsHub();

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
