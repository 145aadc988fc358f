import { describe, expect, it } from 'vitest';
import { DPO, S2_KEY } from '../helpers/papers-worlds.js';
import {
  failure,
  hub,
  hubFake,
  lastRequest,
  makeTool,
  run,
  s2,
  s2Fake,
  usePapersTool,
} from '../helpers/papers-tool.js';
import { hubPaper } from '../fakes/hub-papers-routes.js';

usePapersTool();

describe('hf_papers: citation_graph', () => {
  it('lists references and citations with influence, arXiv ids, intents and citing sentences', async () => {
    const output = await run({ operation: 'citation_graph', arxiv_id: DPO });
    const paths = s2Fake.requests.map((r) => r.path).sort();
    expect(paths).toEqual([
      `/graph/v1/paper/ARXIV:${DPO}/citations`,
      `/graph/v1/paper/ARXIV:${DPO}/references`,
    ]);
    expect(s2Fake.requests.every((r) => r.headers['x-api-key'] === undefined)).toBe(true);
    expect(s2Fake.requests[0]?.query.get('limit')).toBe('10');
    expect(output).toContain(`# Citation graph of ${DPO}`);
    expect(output).toContain('## References (2)');
    expect(output).toContain(
      '- **Training language models to follow instructions** (2022, 9,000 cites) **[influential]** arxiv:2203.02155',
    );
    expect(output).toContain('## Citations (2)');
    expect(output).toContain(
      '- **SimPO: Simple Preference Optimization** (2024, 200 cites) **[influential]** arxiv:2405.14734',
    );
    expect(output).toContain('  Intent: methodology');
    expect(output).toContain('  > We build on DPO and remove the reference model.');
  });

  it('asks one direction only, and sends SEMANTIC_SCHOLAR_API_KEY as x-api-key when set', async () => {
    s2.apiKey = S2_KEY;
    const keyed = makeTool({ s2Key: S2_KEY });
    const output = await run({ operation: 'citation_graph', arxiv_id: DPO, direction: 'references' }, keyed);
    expect(s2Fake.requests).toHaveLength(1);
    expect(s2Fake.requests[0]?.headers['x-api-key']).toBe(S2_KEY);
    expect(output).toContain('## References (2)');
    expect(output).not.toContain('## Citations');
    expect(output).not.toContain(S2_KEY);
  });

  it('keeps a pre-2007 id one path segment', async () => {
    const output = await run({
      operation: 'citation_graph',
      arxiv_id: 'cs/0112017',
      direction: 'references',
    });
    expect(s2Fake.requests[0]?.path).toBe('/graph/v1/paper/ARXIV:cs/0112017/references');
    expect(output).toContain('Proximal Policy Optimization Algorithms');
  });

  it('waits out a 429 with Retry-After and then answers', async () => {
    s2.rateLimit = { count: 2, retryAfter: '1' };
    const output = await run({ operation: 'citation_graph', arxiv_id: DPO, direction: 'citations' });
    expect(s2Fake.requests).toHaveLength(3);
    const [first, second] = s2Fake.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(900);
    expect(output).toContain('## Citations (2)');
  });

  it('says to wait or set SEMANTIC_SCHOLAR_API_KEY when the rate limit stays', async () => {
    s2.rateLimit = { count: 100, retryAfter: '1' };
    const message = await failure({ operation: 'citation_graph', arxiv_id: DPO, direction: 'citations' });
    expect(message).toContain('Semantic Scholar is rate limiting these requests (429); it asks to wait 1 s.');
    expect(message).toContain('Wait before retrying');
    expect(message).toContain('set it for a limit of your own');
    expect(message).toContain('SEMANTIC_SCHOLAR_API_KEY');
  });

  it('shows the direction that worked when the other failed', async () => {
    s2.answer = (request) =>
      request.path.endsWith('/references') ? { status: 500, body: 'upstream error' } : undefined;
    const output = await run({ operation: 'citation_graph', arxiv_id: DPO });
    expect(output).toContain(
      '## References\nNot available: Semantic Scholar failed (500): upstream error; try again later.',
    );
    expect(output).toContain('## Citations (2)');
  });

  it('says Semantic Scholar does not know a paper, and that a refused key is to check', async () => {
    expect(await failure({ operation: 'citation_graph', arxiv_id: '2412.99999' })).toContain(
      'Not found on Semantic Scholar (404): Paper with id ARXIV:2412.99999 not found. Semantic Scholar does not know this paper',
    );
    s2.apiKey = 'another-key';
    const keyed = makeTool({ s2Key: S2_KEY });
    const message = await failure({ operation: 'citation_graph', arxiv_id: DPO }, keyed);
    expect(message).toContain('Semantic Scholar refused access (403): Forbidden.');
    expect(message).toContain('SEMANTIC_SCHOLAR_API_KEY was refused');
  });
});

describe('hf_papers: recommend', () => {
  it('recommends papers like one paper', async () => {
    const output = await run({ operation: 'recommend', arxiv_id: DPO, limit: 2 });
    const request = lastRequest(s2Fake);
    expect(request?.path).toBe(`/recommendations/v1/papers/forpaper/ARXIV:${DPO}`);
    expect(request?.query.get('from')).toBe('recent');
    expect(request?.query.get('limit')).toBe('2');
    expect(output).toContain(`# Papers recommended from ${DPO} (Semantic Scholar)`);
    expect(output).toContain('### 1. KTO: Model Alignment as Prospect Theoretic Optimization');
    expect(output).toContain('arxiv_id: 2402.01306');
    expect(output).toContain('https://arxiv.org/abs/2402.01306');
    expect(output).not.toContain('ORPO');
  });

  it('recommends from positive and negative examples', async () => {
    const output = await run({
      operation: 'recommend',
      positive_ids: `${DPO}, 2402.01306`,
      negative_ids: '2405.14734',
    });
    const request = lastRequest(s2Fake);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/recommendations/v1/papers/');
    expect(request?.json).toEqual({
      positivePaperIds: [`ARXIV:${DPO}`, 'ARXIV:2402.01306'],
      negativePaperIds: ['ARXIV:2405.14734'],
    });
    expect(output).toContain('ORPO: Monolithic Preference Optimization');
    expect(output).not.toContain('SimPO');
  });

  it('asks for a paper to start from', async () => {
    expect(await failure({ operation: 'recommend' })).toBe(
      "'arxiv_id' or 'positive_ids' is required for recommend.",
    );
    expect(await failure({ operation: 'recommend', positive_ids: '2305.18290, bogus' })).toContain(
      "'bogus' is not an arXiv id",
    );
    expect(s2Fake.requests).toHaveLength(0);
  });
});

describe('hf_papers: find_datasets, find_models, find_collections', () => {
  it('lists the models whose card cites the paper, most downloaded first', async () => {
    const output = await run({ operation: 'find_models', arxiv_id: DPO });
    const request = lastRequest(hubFake);
    expect(request?.path).toBe('/api/models');
    expect(request?.query.get('filter')).toBe(`arxiv:${DPO}`);
    expect(request?.query.get('sort')).toBe('downloads');
    expect(request?.query.get('direction')).toBe('-1');
    expect(output).toContain(`# Models linked to paper ${DPO}`);
    expect(output).toContain(
      '**1. [HuggingFaceH4/zephyr-7b-beta](https://huggingface.co/HuggingFaceH4/zephyr-7b-beta)**',
    );
    expect(output).toContain(
      '   Downloads: 900,000 | Likes: 1,600 | Task: text-generation | Library: transformers',
    );
    expect(output).toContain('**2. [rafailov/dpo-pythia-2.8b]');
    expect(output).not.toContain('unrelated');

    const trendingFirst = await run({ operation: 'find_models', arxiv_id: DPO, sort: 'trending' });
    expect(lastRequest(hubFake)?.query.get('sort')).toBe('trendingScore');
    expect(trendingFirst).toContain('**1. [rafailov/dpo-pythia-2.8b]');
  });

  it('lists the datasets, their description without the Hub card noise, and how to inspect one', async () => {
    const output = await run({ operation: 'find_datasets', arxiv_id: `${DPO}v2` });
    expect(lastRequest(hubFake)?.query.get('filter')).toBe(`arxiv:${DPO}`);
    expect(output).toContain(
      '**1. [HuggingFaceH4/ultrafeedback_binarized](https://huggingface.co/datasets/HuggingFaceH4/ultrafeedback_binarized)**',
    );
    expect(output).toContain('   Tags: task_categories:text-generation, language:en');
    expect(output).toContain('   Dataset Card for UltraFeedback Binarized This is a pre-processed version');
    expect(output).toContain('Next: hf_inspect_dataset with dataset="HuggingFaceH4/ultrafeedback_binarized"');
  });

  it('lists the collections that include the paper', async () => {
    const output = await run({ operation: 'find_collections', arxiv_id: DPO });
    const request = lastRequest(hubFake);
    expect(request?.path).toBe('/api/collections');
    expect(request?.query.get('item')).toBe(`papers/${DPO}`);
    expect(output).toContain(`# Collections containing paper ${DPO}`);
    expect(output).toContain('**1. Preference optimization**');
    expect(output).toContain('   By: trl-lib | Upvotes: 42');
    expect(output).toContain(
      '   https://huggingface.co/collections/trl-lib/preference-optimization-65b0c0ffee0000000000aaaa',
    );
    expect(output).toContain(
      '   First items: paper 2203.02155, paper 2305.18290, paper 2402.01306, model HuggingFaceH4/zephyr-7b-beta',
    );
    expect(output).not.toContain('Vision');
  });

  it('says when nothing is linked', async () => {
    expect(await run({ operation: 'find_models', arxiv_id: '2402.00001' })).toBe(
      'No models found linked to paper 2402.00001.\nhttps://huggingface.co/papers/2402.00001',
    );
    expect(await run({ operation: 'find_datasets', arxiv_id: '2402.00001' })).toContain('No datasets found');
    expect(await run({ operation: 'find_collections', arxiv_id: '2401.12345' })).toContain(
      'No collections found',
    );
  });
});

describe('hf_papers: failures of the Hub', () => {
  it('reports an answer that is not JSON, and one of the wrong shape', async () => {
    hub.answer = (request) =>
      request.path === '/api/daily_papers' ? { body: '<html>Bad gateway</html>' } : undefined;
    expect(await failure({ operation: 'trending' })).toMatch(
      /^the Hugging Face Hub sent an answer that is not JSON \(\d+ bytes\); try again later\.$/,
    );
    hub.answer = (request) => (request.path === '/api/models' ? { body: { models: [] } } : undefined);
    expect(await failure({ operation: 'find_models', arxiv_id: DPO })).toBe(
      'the Hugging Face Hub answered the models list in an unexpected shape; try again later.',
    );
    hub.answer = (request) =>
      request.path === `/api/papers/${DPO}` ? { body: { title: 'no id' } } : undefined;
    expect(await failure({ operation: 'paper_details', arxiv_id: DPO })).toBe(
      `the Hugging Face Hub answered paper ${DPO} in an unexpected shape at id; try again later.`,
    );
  });

  it('reports the Hub not answering in time', async () => {
    hub.answer = () => ({ hang: true });
    const slow = makeTool({ timeoutMs: 1000 });
    expect(await failure({ operation: 'search', query: 'dpo' }, slow)).toBe(
      'the Hugging Face Hub did not answer within 1 s; try again, or ask for less.',
    );
  });

  it('keeps a long list under the result cap and says how to get less', async () => {
    for (let i = 0; i < 60; i++) {
      const id = `2405.${String(10000 + i)}`;
      hub.papers.push(
        hubPaper({ id, title: `Paper number ${i}`, upvotes: i, ai_summary: 'long summary '.repeat(40) }),
      );
      hub.daily.push({ paperId: id, date: '2024-05-20', numComments: 0, submitter: 'akhaliq' });
    }
    const output = await run({ operation: 'trending', limit: 500 });
    expect(lastRequest(hubFake)?.query.get('limit')).toBe('50');
    expect(output).toContain('Showing 50 paper(s)');
    expect(output).toMatch(/characters cut from the middle; ask for a smaller limit/);
  });
});
