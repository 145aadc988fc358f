import { describe, expect, it } from 'vitest';
import { DPO, HF_TOKEN } from '../helpers/papers-worlds.js';
import {
  failure,
  harness,
  hubFake,
  lastRequest,
  makeTool,
  run,
  s2,
  s2Fake,
  tool,
  usePapersTool,
} from '../helpers/papers-tool.js';
import { ToolRegistry } from '../../src/tools/tool-registry.js';

usePapersTool();

describe('hf_papers: the tool', () => {
  it('is one read-only tool that never asks, whatever the operation', () => {
    expect(tool.name).toBe('hf_papers');
    expect(tool.sideEffects).toBe(false);
    for (const operation of [
      'trending',
      'search',
      'paper_details',
      'read_paper',
      'citation_graph',
      'recommend',
      'find_datasets',
      'find_models',
      'find_collections',
    ]) {
      expect(harness.approval(tool, { operation, arxiv_id: DPO, query: 'dpo' })).toBeUndefined();
    }
  });

  it('gives the model a JSON Schema with every field described and only operation required', () => {
    const [definition] = new ToolRegistry([tool]).definitions();
    const schema = definition?.inputSchema as {
      required: string[];
      properties: Record<string, { description?: string; enum?: string[] }>;
    };
    expect(schema.required).toEqual(['operation']);
    expect(schema.properties.operation?.enum).toHaveLength(9);
    for (const [name, property] of Object.entries(schema.properties)) {
      expect(property.description, name).toBeTruthy();
    }
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['query', 'arxiv_id', 'section', 'limit', 'date', 'direction', 'sort']),
    );
  });

  it('refuses an unknown operation through its schema', () => {
    expect(() => harness.approval(tool, { operation: 'snippet_search' })).toThrow();
  });
});

describe('hf_papers: trending', () => {
  it("lists the Hub's trending papers with ids, upvotes, keywords, GitHub and links", async () => {
    const output = await run({ operation: 'trending' });
    const request = lastRequest(hubFake);
    expect(request?.path).toBe('/api/daily_papers');
    expect(request?.query.get('sort')).toBe('trending');
    expect(request?.query.get('limit')).toBe('10');
    expect(request?.token).toBe(HF_TOKEN);
    expect(output).toContain('# Trending papers');
    expect(output).toContain('Showing 3 paper(s)');
    expect(output.indexOf(DPO)).toBeLessThan(output.indexOf('2402.00001'));
    expect(output).toContain(`**arxiv_id:** ${DPO} | **upvotes:** 120`);
    expect(output).toContain(`https://huggingface.co/papers/${DPO}`);
    expect(output).toContain('**Keywords:** preference optimization, RLHF, reward model');
    expect(output).toContain(
      '**GitHub:** https://github.com/eric-mitchell/direct-preference-optimization (2,500 stars)',
    );
    expect(output).toContain('**Summary:** DPO fine-tunes language models');
  });

  it("gives one day's papers for date, and keeps those that mention query", async () => {
    const day = await run({ operation: 'trending', date: '2024-01-23' });
    expect(lastRequest(hubFake)?.query.get('date')).toBe('2024-01-23');
    expect(lastRequest(hubFake)?.query.get('sort')).toBeNull();
    expect(day).toContain('# Daily papers of 2024-01-23');
    expect(day).toContain('Sparse Mixture of Experts at Scale');
    expect(day).not.toContain(DPO);

    const filtered = await run({ operation: 'trending', query: 'Registers' });
    expect(lastRequest(hubFake)?.query.get('limit')).toBe('30');
    expect(filtered).toContain("Filtered by: 'Registers'");
    expect(filtered).toContain('Vision Transformers Need Registers');
    expect(filtered).not.toContain('Sparse Mixture');

    expect(await run({ operation: 'trending', query: 'quantum gravity' })).toBe(
      "No trending papers found matching 'quantum gravity'.",
    );
  });
});

describe('hf_papers: search', () => {
  it("searches the Hub's papers", async () => {
    const output = await run({ operation: 'search', query: 'preference optimization', limit: 5 });
    const request = lastRequest(hubFake);
    expect(request?.path).toBe('/api/papers/search');
    expect(request?.query.get('q')).toBe('preference optimization');
    expect(request?.query.get('limit')).toBe('5');
    expect(output).toContain("# Papers matching 'preference optimization'");
    expect(output).toContain(`**arxiv_id:** ${DPO}`);
    expect(await run({ operation: 'search', query: 'nothing like this' })).toBe(
      "No papers found for 'nothing like this'.",
    );
  });

  it('asks for a query', async () => {
    expect(await failure({ operation: 'search' })).toBe("'query' is required for search.");
    expect(hubFake.requests).toHaveLength(0);
  });

  it('searches Semantic Scholar when a filter the Hub lacks is set', async () => {
    const output = await run({
      operation: 'search',
      query: 'optimization',
      min_citations: 250,
      date_from: '2017',
      sort_by: 'citationCount',
    });
    expect(hubFake.requests).toHaveLength(0);
    const request = lastRequest(s2Fake);
    expect(request?.path).toBe('/graph/v1/paper/search/bulk');
    expect(request?.query.get('minCitationCount')).toBe('250');
    expect(request?.query.get('publicationDateOrYear')).toBe('2017:');
    expect(request?.query.get('sort')).toBe('citationCount:desc');
    expect(output).toContain("# Papers matching 'optimization' (Semantic Scholar)");
    expect(output).toContain('3 match in all.');
    expect(output.indexOf('Proximal Policy Optimization')).toBeLessThan(output.indexOf('Direct Preference'));
    expect(output).toContain('arxiv_id: 1707.06347');
    expect(output).not.toContain('SimPO');
  });

  it("falls back to the Hub's search, saying so, when Semantic Scholar keeps refusing", async () => {
    s2.rateLimit = { count: 100 };
    const output = await run({ operation: 'search', query: 'preference optimization', min_citations: 10 });
    expect(s2Fake.requests).toHaveLength(3);
    expect(output).toContain(
      'The filtered search failed: Semantic Scholar is rate limiting these requests (429)',
    );
    expect(output).toContain("These are the Hub's results, without the filters.");
    expect(output).toContain(`**arxiv_id:** ${DPO}`);
  });
});

describe('hf_papers: paper_details', () => {
  it("shows the Hub's data of a paper", async () => {
    const output = await run({ operation: 'paper_details', arxiv_id: DPO });
    expect(lastRequest(hubFake)?.path).toBe(`/api/papers/${DPO}`);
    expect(output).toContain(
      '# Direct Preference Optimization: Your Language Model is Secretly a Reward Model',
    );
    expect(output).toContain('**Authors:** Rafael Rafailov, Archit Sharma, Eric Mitchell');
    expect(output).toContain('**Published:** 2023-05-29');
    expect(output).toContain(`https://arxiv.org/abs/${DPO}`);
    expect(output).toContain('## AI summary\nDPO fine-tunes');
    expect(output).toContain('## Abstract\nWhile large-scale');
    expect(output).toContain('Next: read_paper');
  });

  it('reads the id out of a URL and drops the version for the Hub', async () => {
    await run({ operation: 'paper_details', arxiv_id: `https://arxiv.org/abs/${DPO}v3` });
    expect(lastRequest(hubFake)?.path).toBe(`/api/papers/${DPO}`);
    await run({ operation: 'paper_details', arxiv_id: `https://huggingface.co/papers/${DPO}` });
    expect(lastRequest(hubFake)?.path).toBe(`/api/papers/${DPO}`);
    await run({ operation: 'paper_details', arxiv_id: `arXiv:${DPO}v2` });
    expect(lastRequest(hubFake)?.path).toBe(`/api/papers/${DPO}`);
  });

  it('says a paper the Hub does not know is not indexed there, and what to use instead', async () => {
    const message = await failure({ operation: 'paper_details', arxiv_id: '2412.99999' });
    expect(message).toContain('Not found on the Hugging Face Hub (404): Paper not found.');
    expect(message).toContain('not on Hugging Face Papers');
    expect(message).toContain('read_paper and citation_graph');
  });

  it('rejects a malformed id before any request, saying what an id looks like', async () => {
    for (const bad of ['not-an-id', '2401.123', '24011.2345', 'https://example.com/abs/2401.12345']) {
      const message = await failure({ operation: 'paper_details', arxiv_id: bad });
      expect(message).toContain('is not an arXiv id');
      expect(message).toContain('2401.12345');
    }
    expect(await failure({ operation: 'paper_details' })).toContain(
      "'arxiv_id' is required for paper_details",
    );
    expect(hubFake.requests).toHaveLength(0);
  });

  it('says a refused HF_TOKEN is to fix or drop, without showing it', async () => {
    const wrong = makeTool({ hfToken: 'hf_wrongToken0123456789abcdefghijkl' });
    const message = await failure({ operation: 'paper_details', arxiv_id: DPO }, wrong);
    expect(message).toContain('(401, not authenticated)');
    expect(message).toContain('HF_TOKEN was refused');
    expect(message).not.toContain('hf_wrongToken');
  });
});
