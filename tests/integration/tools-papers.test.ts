import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { papersTools } from '../../src/tools/papers/index.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { ToolRegistry } from '../../src/tools/tool-registry.js';
import {
  arxivHtmlPage,
  arxivRoutes,
  citation,
  footnote,
  inlineMath,
  type ArxivSectionSpec,
  type ArxivWorld,
} from '../fakes/arxiv-routes.js';
import {
  collectionItem,
  emptyHubPapersWorld,
  hubCollection,
  hubPaper,
  hubPapersRoutes,
  hubRepo,
  type HubPapersWorld,
} from '../fakes/hub-papers-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import {
  emptySemanticScholarWorld,
  s2Paper,
  semanticScholarRoutes,
  type SemanticScholarWorld,
} from '../fakes/semantic-scholar-routes.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

const HF_TOKEN = 'hf_papersTestToken0123456789abcdefgh';
const S2_KEY = 's2-key-0123456789abcdef';
const DPO = '2305.18290';

function hubWorld(): HubPapersWorld {
  const world = emptyHubPapersWorld();
  world.validTokens = [HF_TOKEN];
  world.papers.push(
    hubPaper({
      id: DPO,
      title: 'Direct Preference Optimization: Your Language Model is Secretly a Reward Model',
      authors: [
        { _id: '64a000000000000000000001', name: 'Rafael Rafailov', hidden: false },
        { _id: '64a000000000000000000002', name: 'Archit Sharma', hidden: false },
        { _id: '64a000000000000000000003', name: 'Eric Mitchell', hidden: false },
      ],
      publishedAt: '2023-05-29T17:57:46.000Z',
      summary:
        'While large-scale unsupervised language models learn broad world knowledge, steering them is hard.',
      upvotes: 120,
      ai_summary: 'DPO fine-tunes language models on preferences without a reward model or RL.',
      ai_keywords: ['preference optimization', 'RLHF', 'reward model'],
      githubRepo: 'https://github.com/eric-mitchell/direct-preference-optimization',
      githubStars: 2500,
    }),
    hubPaper({
      id: '2401.12345',
      title: 'Sparse Mixture of Experts at Scale',
      upvotes: 40,
      publishedAt: '2024-01-22T10:00:00.000Z',
    }),
    hubPaper({
      id: '2402.00001',
      title: 'Vision Transformers Need Registers',
      upvotes: 80,
      publishedAt: '2024-01-22T12:00:00.000Z',
      ai_keywords: ['vision transformers', 'registers'],
    }),
  );
  world.daily.push(
    { paperId: DPO, date: '2023-05-30', numComments: 12, submitter: 'akhaliq' },
    { paperId: '2401.12345', date: '2024-01-23', numComments: 2, submitter: 'akhaliq' },
    { paperId: '2402.00001', date: '2024-01-23', numComments: 5, submitter: 'julien-c' },
  );
  world.models.push(
    hubRepo('rafailov/dpo-pythia-2.8b', {
      tags: ['transformers', 'pytorch', `arxiv:${DPO}`, 'region:us'],
      downloads: 5000,
      likes: 30,
      trendingScore: 9,
      pipeline_tag: 'text-generation',
      library_name: 'transformers',
    }),
    hubRepo('HuggingFaceH4/zephyr-7b-beta', {
      tags: ['transformers', 'safetensors', `arxiv:${DPO}`, 'region:us'],
      downloads: 900_000,
      likes: 1600,
      trendingScore: 2,
      pipeline_tag: 'text-generation',
      library_name: 'transformers',
    }),
    hubRepo('someone/unrelated-model', { tags: ['arxiv:1706.03762'], downloads: 10_000_000 }),
  );
  world.datasets.push(
    hubRepo('HuggingFaceH4/ultrafeedback_binarized', {
      tags: ['task_categories:text-generation', 'language:en', `arxiv:${DPO}`, 'region:us'],
      downloads: 40_000,
      likes: 250,
      description:
        '\n\t\n\t\t\n\t\tDataset Card for UltraFeedback Binarized\n\t\n\nThis is a pre-processed version of the UltraFeedback dataset.',
    }),
  );
  world.collections.push(
    hubCollection('trl-lib/preference-optimization-65b0c0ffee0000000000aaaa', {
      title: 'Preference optimization',
      description: 'Papers and checkpoints on learning from preferences.',
      upvotes: 42,
      items: [
        collectionItem('paper', '2203.02155', 0),
        collectionItem('paper', DPO, 1),
        collectionItem('paper', '2402.01306', 2),
        collectionItem('model', 'HuggingFaceH4/zephyr-7b-beta', 3),
        collectionItem('dataset', 'HuggingFaceH4/ultrafeedback_binarized', 4),
      ],
    }),
    hubCollection('someone/vision-65b0c0ffee0000000000bbbb', {
      title: 'Vision',
      items: [collectionItem('paper', '2402.00001', 0)],
    }),
  );
  return world;
}

const DPO_SECTIONS: ArxivSectionSpec[] = [
  {
    title: 'Introduction',
    paragraphs: [
      `Large unsupervised language models are hard to steer ${citation('Ouyang et al., 2022', 1)}.` +
        footnote(
          'Code: <a class="ltx_ref ltx_url" href="https://github.com/eric-mitchell/dpo">https://github.com/eric-mitchell/dpo</a>',
        ),
    ],
  },
  {
    title: 'Related Work',
    paragraphs: [
      'Self-supervised language models of increasing scale learn to complete tasks, e.g. on ' +
        '<a class="ltx_ref ltx_href" href="https://huggingface.co/datasets/Anthropic/hh-rlhf">Anthropic HH</a>.',
    ],
  },
  {
    title: 'Preliminaries',
    paragraphs: ['We review the RLHF pipeline.'],
    displayMath: String.raw`\max_{\pi_{\theta}}\mathbb{E}[r_{\phi}(x,y)]`,
  },
  {
    title: 'Direct Preference Optimization',
    paragraphs: ['We derive a simple approach for policy optimization using preferences directly.'],
    subsections: [
      {
        title: 'Deriving the DPO objective',
        paragraphs: [
          `The policy ${inlineMath(String.raw`\pi_{\theta}`)} is trained with a binary cross-entropy loss.`,
        ],
      },
      {
        title: 'Theoretical analysis of DPO',
        paragraphs: ['Your language model is secretly a reward model.'],
      },
    ],
  },
  {
    title: 'Experiments',
    paragraphs: ['We evaluate DPO on sentiment generation, summarization and dialogue.'],
    figureCaption: 'Frontier of expected reward vs KL to the reference policy.',
    table: {
      caption: 'GPT-4 win rates on TL;DR summarization.',
      rows: [
        ['Method', 'Win rate'],
        ['DPO', '61%'],
        ['PPO', '57%'],
      ],
    },
  },
  { title: 'Acknowledgements', unnumbered: true, paragraphs: ['We thank our colleagues.'] },
];

function arxivWorld(): ArxivWorld {
  return {
    pages: {
      [`${DPO}v3`]: arxivHtmlPage({
        id: `${DPO}v3`,
        title: 'Direct Preference Optimization: Your Language Model is Secretly a Reward Model',
        authors: ['Rafael Rafailov', 'Archit Sharma'],
        abstract:
          'While large-scale unsupervised language models learn broad world knowledge, steering them is hard.',
        sections: DPO_SECTIONS,
        appendices: [
          {
            title: 'Mathematical Derivations',
            paragraphs: ['We derive the optimum of the KL-constrained objective.'],
          },
        ],
        bibliography: [
          'Long Ouyang et al. Training language models to follow instructions with human feedback. 2022.',
        ],
      }),
      [`${DPO}v1`]: arxivHtmlPage({
        id: `${DPO}v1`,
        title: 'An older version',
        abstract: 'Old.',
        sections: [{ title: 'Only' }],
      }),
    },
  };
}

function s2World(): SemanticScholarWorld {
  const world = emptySemanticScholarWorld();
  const dpo = s2Paper({ title: 'Direct Preference Optimization', arxiv: DPO, citationCount: 3000 });
  const simpo = s2Paper({
    title: 'SimPO: Simple Preference Optimization',
    arxiv: '2405.14734',
    year: 2024,
    citationCount: 200,
  });
  const kto = s2Paper({
    title: 'KTO: Model Alignment as Prospect Theoretic Optimization',
    arxiv: '2402.01306',
    year: 2024,
    citationCount: 300,
  });
  const instructGpt = s2Paper({
    title: 'Training language models to follow instructions',
    arxiv: '2203.02155',
    year: 2022,
    citationCount: 9000,
    venue: 'NeurIPS',
  });
  const ppo = s2Paper({
    title: 'Proximal Policy Optimization Algorithms',
    arxiv: '1707.06347',
    year: 2017,
    citationCount: 15000,
  });
  const orpo = s2Paper({
    title: 'ORPO: Monolithic Preference Optimization',
    arxiv: '2403.07691',
    year: 2024,
    citationCount: 150,
  });
  const old = s2Paper({ title: 'An old-style paper', arxiv: 'cs/0112017', year: 2001, citationCount: 10 });
  world.papers.push(dpo, simpo, kto, instructGpt, ppo, orpo, old);
  world.citations.push(
    {
      citing: dpo.paperId,
      cited: instructGpt.paperId,
      contexts: [],
      intents: ['background'],
      isInfluential: true,
    },
    { citing: dpo.paperId, cited: ppo.paperId, contexts: [], intents: ['methodology'], isInfluential: false },
    {
      citing: simpo.paperId,
      cited: dpo.paperId,
      contexts: ['We build on DPO and remove the reference model.'],
      intents: ['methodology'],
      isInfluential: true,
    },
    {
      citing: kto.paperId,
      cited: dpo.paperId,
      contexts: ['DPO needs paired preferences.'],
      intents: ['background'],
      isInfluential: false,
    },
    { citing: old.paperId, cited: ppo.paperId, contexts: [], intents: [], isInfluential: false },
  );
  world.recommendations[dpo.paperId] = [kto.paperId, simpo.paperId, orpo.paperId];
  world.recommendations[kto.paperId] = [simpo.paperId, orpo.paperId];
  return world;
}

let hubFake: Loopback;
let arxivFake: Loopback;
let s2Fake: Loopback;
let hub: HubPapersWorld;
let arxiv: ArxivWorld;
let s2: SemanticScholarWorld;
let harness: ToolHarness;
let tool: AnyToolSpec;

function makeTool(options: { timeoutMs?: number; hfToken?: string; s2Key?: string } = {}): AnyToolSpec {
  harness = toolHarness({
    hub: { url: hubFake.url, token: options.hfToken ?? HF_TOKEN },
    arxiv: { url: arxivFake.url },
    semanticScholar: { url: s2Fake.url, key: options.s2Key },
  });
  const [papers] = papersTools(harness.services, { timeoutMs: options.timeoutMs ?? 5000 });
  if (!papers) throw new Error('papersTools returned no tool');
  return papers;
}

async function run(args: Record<string, unknown>, use: AnyToolSpec = tool): Promise<string> {
  const result = await harness.run(use, args);
  expect(result.isError).toBeFalsy();
  expect(result.output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
  return result.output;
}

/** The message a failing call gives the model; it never carries a secret. */
async function failure(
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

const lastRequest = (fake: Loopback) => fake.requests[fake.requests.length - 1];

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
  await harness.close();
  await Promise.all([hubFake.close(), arxivFake.close(), s2Fake.close()]);
});

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

describe('hf_papers: read_paper', () => {
  it('gives the abstract and the sections of the HTML paper, without the page chrome', async () => {
    const output = await run({ operation: 'read_paper', arxiv_id: DPO });
    expect(lastRequest(arxivFake)?.path).toBe(`/html/${DPO}`);
    expect(output).toContain(
      '# Direct Preference Optimization: Your Language Model is Secretly a Reward Model',
    );
    expect(output).toContain('## Abstract\nWhile large-scale unsupervised language models');
    expect(output).toContain('- **1 Introduction**: Large unsupervised language models are hard to steer');
    expect(output).toContain('- **4 Direct Preference Optimization**');
    expect(output).toContain('  - **4.1 Deriving the DPO objective**');
    expect(output).toContain('- **5 Experiments**');
    expect(output).toContain('- **Acknowledgements**');
    expect(output).toContain('- **A Mathematical Derivations**');
    expect(output).toContain('- **References**');
    expect(output).toContain('section="4"');
    for (const chrome of [
      'Back to arXiv',
      'HTML conversions sometimes',
      'LaTeXML',
      'example.org',
      'Dismiss',
    ]) {
      expect(output).not.toContain(chrome);
    }
  });

  it('reads a section by number with its subsections, math as TeX', async () => {
    const output = await run({ operation: 'read_paper', arxiv_id: `${DPO}v3`, section: '4' });
    expect(lastRequest(arxivFake)?.path).toBe(`/html/${DPO}v3`);
    expect(output).toContain('# 4 Direct Preference Optimization');
    expect(output).toContain(`https://arxiv.org/abs/${DPO}v3`);
    expect(output).toContain('We derive a simple approach');
    expect(output).toContain('## 4.1 Deriving the DPO objective');
    expect(output).toContain(String.raw`The policy $\pi_{\theta}$ is trained`);
    expect(output).toContain('## 4.2 Theoretical analysis of DPO');
    expect(output).not.toContain('x = y');
    expect(output).not.toContain('5 Experiments');
  });

  it('reads a section by title, tables as rows and figures by their captions', async () => {
    const output = await run({ operation: 'read_paper', arxiv_id: DPO, section: 'experiments' });
    expect(output).toContain('# 5 Experiments');
    expect(output).toContain('Figure 1: Frontier of expected reward vs KL to the reference policy.');
    expect(output).toContain('Table 1: GPT-4 win rates on TL;DR summarization.');
    expect(output).toContain('Method | Win rate\nDPO | 61%\nPPO | 57%');

    const intro = await run({ operation: 'read_paper', arxiv_id: DPO, section: 'Section 1' });
    expect(intro).toContain('hard to steer (Ouyang et al., 2022).');
    expect(intro).toContain('(footnote: Code: https://github.com/eric-mitchell/dpo)');

    const math = await run({ operation: 'read_paper', arxiv_id: DPO, section: '3.' });
    expect(math).toContain(String.raw`$$\max_{\pi_{\theta}}\mathbb{E}[r_{\phi}(x,y)]$$ | (1)`);

    expect(await run({ operation: 'read_paper', arxiv_id: DPO, section: 'Appendix A' })).toContain(
      '# A Mathematical Derivations',
    );
    expect(await run({ operation: 'read_paper', arxiv_id: DPO, section: 'Related work' })).toContain(
      'e.g. on Anthropic HH (https://huggingface.co/datasets/Anthropic/hh-rlhf).',
    );
    expect(await run({ operation: 'read_paper', arxiv_id: DPO, section: 'references' })).toContain(
      '- [1] Long Ouyang et al. Training language models to follow instructions',
    );
    // The parsed paper is cached: one page fetch served every section.
    expect(arxivFake.requests).toHaveLength(1);
  });

  it('lists the sections when the one asked for is not there', async () => {
    const message = await failure({ operation: 'read_paper', arxiv_id: DPO, section: 'Limitations' });
    expect(message).toContain(`No section 'Limitations' in ${DPO}. Its sections are:`);
    expect(message).toContain('- 1 Introduction');
    expect(message).toContain('  - 4.1 Deriving the DPO objective');
    expect(message).toContain('- A Mathematical Derivations');
  });

  it("falls back to the Hub's abstract when arXiv has no HTML", async () => {
    const output = await run({ operation: 'read_paper', arxiv_id: '2401.12345', section: '2' });
    expect(arxivFake.requests.map((r) => r.path)).toEqual(['/html/2401.12345']);
    expect(lastRequest(hubFake)?.path).toBe('/api/papers/2401.12345');
    expect(output).toContain('# Sparse Mixture of Experts at Scale');
    expect(output).toContain('## Abstract\nAbstract of Sparse Mixture of Experts at Scale.');
    expect(output).toContain('arXiv has no HTML version');
    expect(output).toContain('PDF: https://arxiv.org/pdf/2401.12345');
  });

  it('says a paper neither arXiv nor the Hub has is to check', async () => {
    const message = await failure({ operation: 'read_paper', arxiv_id: '2412.99999' });
    expect(message).toContain(
      'arXiv has no HTML version of 2412.99999 and Hugging Face Papers does not know it',
    );
    expect(message).toContain('https://arxiv.org/pdf/2412.99999');
  });

  it('cuts a long section to the result cap, head and tail kept, and says how to read the rest', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1}: ${'results '.repeat(250)}`);
    arxiv.pages['2403.11111v1'] = arxivHtmlPage({
      id: '2403.11111v1',
      title: 'A long paper',
      abstract: 'Long.',
      sections: [{ title: 'Results', paragraphs: long }],
    });
    const output = await run({ operation: 'read_paper', arxiv_id: '2403.11111', section: '1' });
    expect(output).toContain('# 1 Results');
    expect(output).toContain('Paragraph 1:');
    expect(output).toContain('Paragraph 40:');
    expect(output).toMatch(/characters cut from the middle; read one of its subsections/);
  });

  it('keeps every section title of a paper with many sections in one result', async () => {
    const sections = Array.from({ length: 120 }, (_, i) => ({
      title: `Topic ${i + 1}`,
      paragraphs: ['text '.repeat(200)],
    }));
    arxiv.pages['2403.22222v1'] = arxivHtmlPage({
      id: '2403.22222v1',
      title: 'Many',
      abstract: 'Many.',
      sections,
    });
    const output = await run({ operation: 'read_paper', arxiv_id: '2403.22222' });
    expect(output).toContain('- **1 Topic 1**');
    expect(output).toContain('- **120 Topic 120**');
    expect(output).not.toContain('characters cut');
  });

  it('reports arXiv not answering in time, and an interrupted turn', async () => {
    arxiv.answer = () => ({ hang: true });
    const slow = makeTool({ timeoutMs: 1000 });
    const message = await failure({ operation: 'read_paper', arxiv_id: DPO }, slow);
    expect(message).toBe('arXiv did not answer within 1 s; try again, or ask for less.');

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await failure({ operation: 'read_paper', arxiv_id: DPO }, tool, controller.signal)).toBe(
      'Stopped: the turn was interrupted.',
    );
  });
});

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
