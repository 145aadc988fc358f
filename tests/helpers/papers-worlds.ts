/** The papers world of the hf_papers tests: a Hub, arXiv and Semantic Scholar that know DPO and its kin. */
import {
  arxivHtmlPage,
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
  hubRepo,
  type HubPapersWorld,
} from '../fakes/hub-papers-routes.js';
import {
  emptySemanticScholarWorld,
  s2Paper,
  type SemanticScholarWorld,
} from '../fakes/semantic-scholar-routes.js';

export const HF_TOKEN = 'hf_papersTestToken0123456789abcdefgh';
export const S2_KEY = 's2-key-0123456789abcdef';
export const DPO = '2305.18290';

export function hubWorld(): HubPapersWorld {
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

export function arxivWorld(): ArxivWorld {
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

export function s2World(): SemanticScholarWorld {
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
