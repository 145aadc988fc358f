import { afterEach, describe, expect, it } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { webTools } from '../../src/tools/web/index.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { webSearchRoutes, type FakeWebPage, type FakeWebSearchWorld } from '../fakes/web-search-routes.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

const EXA_KEY = 'exa-test-key-0123456789abcdef';

const PAGES: FakeWebPage[] = [
  {
    title: 'Supervised Fine-tuning Trainer - Hugging Face',
    url: 'https://huggingface.co/docs/trl/sft_trainer',
    snippet:
      'Supervised fine-tuning (SFT) is the most common step in post-training LLMs. TRL provides the SFTTrainer.',
    published: '2026-05-02',
  },
  {
    title: 'Fine-tuning LLMs with SFT & LoRA - a "practical" guide',
    url: 'https://blog.example.com/sft-lora?utm=1',
    snippet: 'We fine-tune a 7B model with SFT and LoRA adapters on one GPU.',
  },
  {
    title: 'SFT vs DPO - discussion',
    url: 'https://discuss.huggingface.co/t/sft-vs-dpo/1234',
    snippet: 'When should I use SFT before DPO?',
  },
  {
    title: 'SFT on arXiv: scaling instruction tuning',
    url: 'https://arxiv.org/abs/2210.11416',
    snippet: 'Scaling instruction-finetuned language models (SFT at scale).',
  },
  {
    title: 'SFT tutorial on Medium',
    url: 'https://medium.com/@someone/sft-tutorial-abc',
    snippet: 'A gentle SFT tutorial.',
  },
  { title: 'SFT recipe 6', url: 'https://recipes.example.org/sft/6', snippet: 'Recipe number six for SFT.' },
  {
    title: 'SFT recipe 7',
    url: 'https://recipes.example.org/sft/7',
    snippet: 'Recipe number seven for SFT.',
  },
];

let loopback: Loopback | undefined;
let harness: ToolHarness | undefined;

afterEach(async () => {
  await harness?.close();
  await loopback?.close();
  harness = undefined;
  loopback = undefined;
});

async function setup(
  world: FakeWebSearchWorld,
  options: { exa?: boolean; exaKey?: string; timeoutMs?: number } = {},
): Promise<{ h: ToolHarness; lb: Loopback; search: AnyToolSpec }> {
  loopback = await startLoopback(webSearchRoutes(world));
  harness = toolHarness({
    webSearch: {
      url: `${loopback.url}/html/`,
      exa: options.exa ? { url: loopback.url, key: options.exaKey ?? EXA_KEY } : undefined,
    },
  });
  const [search] = webTools(harness.services, { timeoutMs: options.timeoutMs ?? 5_000 });
  if (!search) throw new Error('no web_search tool');
  return { h: harness, lb: loopback, search };
}

/** A search page that drops `site:` operators (as an engine may), to show the filter does not rely on them. */
async function searchIgnoringOperators(args: Record<string, unknown>): Promise<{ output: string }> {
  const [page] = webSearchRoutes({ pages: PAGES });
  const ignoring = await startLoopback([
    {
      method: 'GET',
      path: '/html/',
      handle: (req) => {
        const q = (req.query.get('q') ?? '').replace(/\(?-?site:\S+\)?|\bOR\b/g, ' ').trim();
        return page!.handle({ ...req, query: new URLSearchParams({ q }) });
      },
    },
  ]);
  const h = toolHarness({ webSearch: { url: `${ignoring.url}/html/` } });
  try {
    const [search] = webTools(h.services);
    return await h.run(search as AnyToolSpec, args);
  } finally {
    await h.close();
    await ignoring.close();
  }
}

/** The message of the error `run` fails with ('' when it does not fail). */
async function messageOf(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => '',
    (err: unknown) => (err instanceof Error ? err.message : 'not an Error'),
  );
}

function urls(output: string): string[] {
  return [...output.matchAll(/^ {3}URL: (.+)$/gm)].map((match) => match[1] ?? '');
}

describe('web_search through the keyless page', () => {
  it('returns five results by default: titles, decoded target URLs, snippets without markup; ads skipped', async () => {
    const { h, lb, search } = await setup({ pages: PAGES, ads: true });
    const result = await h.run(search, { query: 'sft' });
    expect(result.isError).toBeUndefined();
    expect(lb.requests[0]?.method).toBe('GET');
    expect(lb.requests[0]?.query.get('q')).toBe('sft');
    expect(result.output).toContain("Web search results for 'sft' (keyless search page):");
    expect(result.output).toContain('1. **Supervised Fine-tuning Trainer - Hugging Face**');
    expect(result.output).toContain(
      '   Supervised fine-tuning (SFT) is the most common step in post-training LLMs. TRL provides the SFTTrainer.',
    );
    expect(result.output).toContain('**Fine-tuning LLMs with SFT & LoRA - a "practical" guide**');
    expect(urls(result.output)).toEqual([
      'https://huggingface.co/docs/trl/sft_trainer',
      'https://blog.example.com/sft-lora?utm=1',
      'https://discuss.huggingface.co/t/sft-vs-dpo/1234',
      'https://arxiv.org/abs/2210.11416',
      'https://medium.com/@someone/sft-tutorial-abc',
    ]);
    expect(result.output).not.toMatch(/duckduckgo|Sponsored|<b>/);
  });

  it('never asks, and has no side effects', async () => {
    const { h, search } = await setup({ pages: PAGES });
    expect(search.sideEffects).toBe(false);
    expect(h.approval(search, { query: 'sft', allowed_domains: ['huggingface.co'] })).toBeUndefined();
  });

  it('gives up to ten results when asked, and refuses more', async () => {
    const { h, search } = await setup({ pages: PAGES });
    expect(urls((await h.run(search, { query: 'sft', num_results: 10 })).output)).toHaveLength(7);
    // The agent refuses arguments the schema rejects; the harness throws the same way.
    expect(() => h.run(search, { query: 'sft', num_results: 11 })).toThrow(/expected number to be <=10/);
  });

  it('allowed_domains: passed as site: and enforced on the results, subdomains included', async () => {
    const { h, lb, search } = await setup({ pages: PAGES });
    const one = await h.run(search, { query: 'sft', allowed_domains: ['https://www.huggingface.co/docs'] });
    expect(lb.requests.at(-1)?.query.get('q')).toBe('sft site:huggingface.co');
    expect(urls(one.output)).toEqual([
      'https://huggingface.co/docs/trl/sft_trainer',
      'https://discuss.huggingface.co/t/sft-vs-dpo/1234',
    ]);
    const two = await h.run(search, { query: 'sft', allowed_domains: ['arxiv.org', 'medium.com'] });
    expect(lb.requests.at(-1)?.query.get('q')).toBe('sft (site:arxiv.org OR site:medium.com)');
    expect(urls(two.output)).toEqual([
      'https://arxiv.org/abs/2210.11416',
      'https://medium.com/@someone/sft-tutorial-abc',
    ]);
  });

  it('blocked_domains: passed as -site: and never in the results, even when the engine ignores it', async () => {
    const { h, lb, search } = await setup({ pages: PAGES });
    const result = await h.run(search, { query: 'sft', blocked_domains: ['huggingface.co', 'medium.com'] });
    expect(lb.requests.at(-1)?.query.get('q')).toBe('sft -site:huggingface.co -site:medium.com');
    expect(urls(result.output).some((url) => /huggingface\.co|medium\.com/.test(url))).toBe(false);
    expect(urls(result.output)).toHaveLength(4);

    // An engine that ignores the operators: the filter still holds.
    const all = await searchIgnoringOperators({
      query: 'sft',
      allowed_domains: ['example.org'],
      num_results: 10,
    });
    expect(urls(all.output)).toEqual([
      'https://recipes.example.org/sft/6',
      'https://recipes.example.org/sft/7',
    ]);
  });

  it('says when nothing matched, and when the filter removed everything', async () => {
    const { h, search } = await setup({ pages: PAGES });
    expect((await h.run(search, { query: 'zebra quantum' })).output).toBe(
      "No web results for 'zebra quantum' (keyless search page).",
    );
    const none = await searchIgnoringOperators({ query: 'sft', allowed_domains: ['nowhere.test'] });
    expect(none.output).toMatch(/No web results for 'sft'.*\nAll 7 results were outside the domain filter/);
  });

  it('caches a search for a few minutes', async () => {
    const { h, lb, search } = await setup({ pages: PAGES });
    const first = await h.run(search, { query: 'sft lora' });
    const second = await h.run(search, { query: 'sft lora' });
    expect(second.output).toBe(first.output);
    expect(lb.requests).toHaveLength(1);
  });

  it('keeps a page of huge results under the cap', async () => {
    const big = Array.from({ length: 10 }, (_, i) => ({
      title: `SFT ${'very long title '.repeat(40)} ${i}`,
      url: `https://example.com/${'p'.repeat(300)}/${i}`,
      snippet: `SFT ${'snippet words '.repeat(300)}`,
    }));
    const { h, search } = await setup({ pages: big });
    const result = await h.run(search, { query: 'sft', num_results: 10 });
    expect(result.output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    expect(urls(result.output).length).toBeGreaterThanOrEqual(5);
  });

  it('refuses a domain that is not one', async () => {
    const { h, search } = await setup({ pages: PAGES });
    await expect(h.run(search, { query: 'sft', allowed_domains: ['not a domain'] })).rejects.toThrow(
      /'not a domain' is not a domain/,
    );
  });
});

describe('web_search failures on the keyless page', () => {
  it('the bot check (202) says to wait or set EXA_API_KEY', async () => {
    const { h, search } = await setup({ pages: PAGES, duckDuckGo: 'challenge' });
    await expect(h.run(search, { query: 'sft' })).rejects.toThrow(
      /the web search page \(127\.0\.0\.1:\d+\) asked for a CAPTCHA .*wait a few minutes, or set EXA_API_KEY/,
    );
  });

  it('a page without results markup is an unreadable page, not an empty search', async () => {
    const { h, search } = await setup({ pages: PAGES, duckDuckGo: 'garbage' });
    await expect(h.run(search, { query: 'sft' })).rejects.toThrow(
      /sent a page this tool cannot read \(\d+ characters, no results list\); try again later, or set EXA_API_KEY/,
    );
  });

  it('403: the page may be refusing automated searches', async () => {
    const { h, search } = await setup({
      pages: PAGES,
      failures: [{ path: /^\/html\/$/, answer: { status: 403, body: '<html>Forbidden</html>' } }],
    });
    await expect(h.run(search, { query: 'sft' })).rejects.toThrow(
      /refused access \(403\)\. It may be refusing automated searches: wait a few minutes, or set EXA_API_KEY/,
    );
  });

  it('429 with retry-after: 1 is retried; with retry-after: 60 it is reported with the wait', async () => {
    const { h, lb, search } = await setup({
      pages: PAGES,
      failures: [{ path: /^\/html\/$/, answer: { status: 429, headers: { 'retry-after': '1' } }, times: 1 }],
    });
    expect(urls((await h.run(search, { query: 'sft' })).output)).toHaveLength(5);
    expect(lb.requests).toHaveLength(2);

    await harness?.close();
    await loopback?.close();
    const slow = await setup({
      pages: PAGES,
      failures: [{ path: /^\/html\/$/, answer: { status: 429, headers: { 'retry-after': '60' } } }],
    });
    await expect(slow.h.run(slow.search, { query: 'sft' })).rejects.toThrow(
      /is rate limiting these requests \(429\); it asks to wait 60 s\. Wait before retrying/,
    );
    expect(slow.lb.requests).toHaveLength(1);
  });

  it('a hung page times out', async () => {
    const { h, search } = await setup(
      { pages: PAGES, failures: [{ path: /^\/html\/$/, answer: { hang: true } }] },
      { timeoutMs: 1_000 },
    );
    await expect(h.run(search, { query: 'sft' })).rejects.toThrow(
      /did not answer within 1 s; try again, or ask for less/,
    );
  });

  it('an interrupted turn stops the search', async () => {
    const { h, search } = await setup({
      pages: PAGES,
      failures: [{ path: /^\/html\/$/, answer: { hang: true } }],
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(h.run(search, { query: 'sft' }, controller.signal)).rejects.toThrow(
      /Stopped: the turn was interrupted/,
    );
  });
});

describe('web_search through Exa', () => {
  it('posts the query with x-api-key and reads the results (highlights as snippets, dates)', async () => {
    const { h, lb, search } = await setup({ pages: PAGES, exaKey: EXA_KEY }, { exa: true });
    const result = await h.run(search, { query: 'sft', num_results: 3 });
    const request = lb.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/search');
    expect(request?.headers['x-api-key']).toBe(EXA_KEY);
    expect(request?.json).toEqual({
      query: 'sft',
      type: 'auto',
      numResults: 3,
      contents: { highlights: { maxCharacters: 500 } },
    });
    expect(lb.requests.some((req) => req.path === '/html/')).toBe(false);
    expect(result.output).toContain("Web search results for 'sft' (Exa):");
    expect(result.output).toContain('   published: 2026-05-02');
    expect(urls(result.output)).toHaveLength(3);
    expect(result.output).not.toContain(EXA_KEY);
  });

  it('sends includeDomains (or excludeDomains), filtering blocked ones itself when both are given', async () => {
    const { h, lb, search } = await setup({ pages: PAGES, exaKey: EXA_KEY }, { exa: true });
    const both = await h.run(search, {
      query: 'sft',
      allowed_domains: ['huggingface.co'],
      blocked_domains: ['discuss.huggingface.co'],
    });
    expect(lb.requests.at(-1)?.json).toMatchObject({ includeDomains: ['huggingface.co'] });
    expect((lb.requests.at(-1)?.json as Record<string, unknown>).excludeDomains).toBeUndefined();
    expect(urls(both.output)).toEqual(['https://huggingface.co/docs/trl/sft_trainer']);
    await h.run(search, { query: 'sft', blocked_domains: ['arxiv.org'] });
    expect(lb.requests.at(-1)?.json).toMatchObject({ excludeDomains: ['arxiv.org'] });
  });

  it('401: says to fix EXA_API_KEY, never shows it', async () => {
    const { h, search } = await setup(
      { pages: PAGES, exaKey: EXA_KEY },
      { exa: true, exaKey: 'exa-wrong-key-999' },
    );
    const err = await messageOf(h.run(search, { query: 'sft' }));
    expect(err).toMatch(
      /Exa refused the request \(401, not authenticated\): Invalid API key\. Set EXA_API_KEY/,
    );
    expect(err).not.toContain('exa-wrong-key-999');
  });

  it('402: out of credits, top up or unset the key', async () => {
    const { h, search } = await setup(
      { pages: PAGES, exaKey: EXA_KEY, exaOutOfCredits: true },
      { exa: true },
    );
    await expect(h.run(search, { query: 'sft' })).rejects.toThrow(
      /Exa refused the search \(402\): the account of EXA_API_KEY is out of credits.*unset EXA_API_KEY/,
    );
  });

  it('a malformed answer: not JSON, or JSON without results', async () => {
    const { h, search } = await setup(
      {
        pages: PAGES,
        exaKey: EXA_KEY,
        failures: [
          {
            path: /^\/search$/,
            answer: { status: 200, body: '{"results": [', headers: { 'content-type': 'application/json' } },
            times: 1,
          },
          {
            path: /^\/search$/,
            answer: { status: 200, body: { requestId: 'x', answer: 'no results field' } },
            times: 1,
          },
        ],
      },
      { exa: true },
    );
    await expect(h.run(search, { query: 'sft' })).rejects.toThrow(/Exa sent an answer that is not JSON/);
    await expect(h.run(search, { query: 'sft' })).rejects.toThrow(
      /Exa sent an answer without a results list/,
    );
  });

  it('429 on Exa is reported with its wait', async () => {
    const { h, search } = await setup(
      {
        pages: PAGES,
        exaKey: EXA_KEY,
        failures: [
          {
            path: /^\/search$/,
            answer: {
              status: 429,
              headers: { 'retry-after': '30' },
              body: { error: 'Rate limit exceeded', tag: 'RATE_LIMIT_EXCEEDED' },
            },
          },
        ],
      },
      { exa: true },
    );
    await expect(h.run(search, { query: 'sft' })).rejects.toThrow(
      /Exa is rate limiting these requests \(429\); it asks to wait 30 s/,
    );
  });
});
