import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';

/**
 * The Hub's documentation as the docs tools read it, under HF_ENDPOINT:
 * - `GET /docs/<lib>/llms.txt` (some libraries: `/docs/<lib>/main/llms.txt`; courses:
 *   `/learn/<course>/llms.txt`), `text/plain`: `# Title`, `> summary`, `## Docs`, then
 *   `- [Title](https://huggingface.co/docs/<lib>/<version>/<page>.md)` links, version-pinned, on the
 *   public host (the shape of https://huggingface.co/docs/transformers/llms.txt as quoted in public
 *   crawler notes: "# Transformers / ## Docs / - [Quickstart](…/v5.14.0/quicktour.md)").
 * - `GET /docs/<lib>/[<version>/][en/]<page>.md`, `text/markdown`: the page's Markdown; the
 *   unversioned URL serves the same page as the pinned one.
 * - A missing file is a 404 HTML page; a bad token a 401 `{"error": "Invalid credentials in
 *   Authorization header"}` (the Hub's answer to an invalid bearer token).
 */
export interface FakeDocsPage {
  /** The page's path under its root, without `.md`: `sft_trainer`, `main_classes/trainer`. */
  path: string;
  title: string;
  markdown: string;
  description?: string;
}

export interface FakeDocsSection {
  /** `docs/trl`, `learn/llm-course`. */
  root: string;
  title: string;
  summary?: string;
  /** The version the index pins links to (docs only). */
  version?: string;
  /** The index lives at `/<root>/main/llms.txt` instead of `/<root>/llms.txt`. */
  indexUnderMain?: boolean;
  pages: FakeDocsPage[];
}

/** A canned answer for matching requests, `times` times (every time when unset). */
export interface DocsFault {
  path: RegExp;
  answer: LoopbackAnswer;
  times?: number;
}

export interface DocsWorld {
  sections: FakeDocsSection[];
  /** When set, a request with another bearer token gets the Hub's 401. */
  validToken?: string;
  faults: DocsFault[];
}

const NOT_FOUND: LoopbackAnswer = {
  status: 404,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<!doctype html><html><head><title>404 – Hugging Face</title></head><body><h1>404</h1><p>Sorry, we can’t find the page you are looking for.</p></body></html>',
};

export function llmsTxtOf(section: FakeDocsSection): string {
  const pin = section.root.startsWith('docs/') && section.version ? `${section.version}/` : '';
  const links = section.pages.map(
    (page) =>
      `- [${page.title}](https://huggingface.co/${section.root}/${pin}${page.path}.md)${page.description ? `: ${page.description}` : ''}`,
  );
  return [
    `# ${section.title}`,
    '',
    ...(section.summary ? [`> ${section.summary}`, ''] : []),
    '## Docs',
    '',
    ...links,
    '',
  ].join('\n');
}

function guard(world: DocsWorld, request: LoopbackRequest): LoopbackAnswer | undefined {
  const fault = world.faults.find((f) => f.path.test(request.path) && (f.times === undefined || f.times > 0));
  if (fault) {
    if (fault.times !== undefined) fault.times--;
    return fault.answer;
  }
  if (world.validToken !== undefined && request.token !== undefined && request.token !== world.validToken) {
    return { status: 401, body: { error: 'Invalid credentials in Authorization header' } };
  }
  return undefined;
}

export function hfDocsRoutes(world: DocsWorld): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/(?<root>(?:docs|learn)\/[^/]+)\/(?<main>main\/)?llms\.txt$/,
      handle: (request) => {
        const refused = guard(world, request);
        if (refused) return refused;
        const section = world.sections.find((s) => s.root === request.params.root);
        if (!section || Boolean(section.indexUnderMain) !== Boolean(request.params.main)) return NOT_FOUND;
        return { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: llmsTxtOf(section) };
      },
    },
    {
      method: 'GET',
      path: /^\/(?<root>(?:docs|learn)\/[^/]+)\/(?<rest>.+)\.md$/,
      handle: (request) => {
        const refused = guard(world, request);
        if (refused) return refused;
        const section = world.sections.find((s) => s.root === request.params.root);
        let rest = request.params.rest ?? '';
        if (section?.root.startsWith('docs/')) {
          rest = rest.replace(/^(?:v\d+(?:\.\d+)+[\w.-]*|main)\//, '').replace(/^en\//, '');
        }
        const page = section?.pages.find((p) => p.path === rest);
        if (!page) return NOT_FOUND;
        return { headers: { 'content-type': 'text/markdown; charset=utf-8' }, body: page.markdown };
      },
    },
  ];
}

/** A small docs corpus: TRL (two trainers and a long reference), PEFT, one course. */
export function sampleDocsWorld(): DocsWorld {
  return {
    faults: [],
    sections: [
      {
        root: 'docs/trl',
        title: 'TRL',
        summary: 'TRL is a full stack library for post-training transformer language models.',
        version: 'v0.24.0',
        pages: [
          {
            path: 'index',
            title: 'TRL - Transformer Reinforcement Learning',
            markdown:
              '# TRL - Transformer Reinforcement Learning\n\nTRL is a full stack library to post-train models with SFT, GRPO and DPO.\n',
          },
          { path: 'sft_trainer', title: 'SFT Trainer', markdown: SFT_TRAINER },
          { path: 'dpo_trainer', title: 'DPO Trainer', markdown: DPO_TRAINER },
          {
            path: 'grpo_trainer',
            title: 'GRPO Trainer',
            markdown:
              '# GRPO Trainer\n\nGroup Relative Policy Optimization trains with rewards from reward functions.\n\n## GRPOConfig[[trl.GRPOConfig]]\n\n`num_generations` (int, defaults to 8): completions sampled per prompt.\n',
          },
        ],
      },
      {
        root: 'docs/peft',
        title: 'PEFT',
        version: 'v0.17.0',
        pages: [
          {
            path: 'index',
            title: 'PEFT',
            markdown: '# PEFT\n\nParameter-efficient fine-tuning methods adapt large models cheaply.\n',
          },
          {
            path: 'package_reference/lora',
            title: 'LoRA',
            markdown:
              '# LoRA\n\n## LoraConfig[[peft.LoraConfig]]\n\n`r` (int): the rank of the update matrices. `lora_alpha` (int): the scaling.\n',
          },
        ],
      },
      {
        root: 'docs/evaluate',
        title: 'Evaluate',
        indexUnderMain: true,
        version: 'main',
        pages: [
          {
            path: 'index',
            title: 'Evaluate',
            markdown: '# Evaluate\n\nA library for easily evaluating machine learning models and datasets.\n',
          },
        ],
      },
      {
        root: 'learn/llm-course',
        title: 'LLM Course',
        pages: [
          {
            path: 'chapter1/1',
            title: 'Introduction',
            markdown:
              '# Introduction\n\nWelcome to the LLM course: transformers, tokenizers and fine-tuning.\n',
          },
        ],
      },
    ],
  };
}

const SFT_TRAINER = `# SFT Trainer

Supervised fine-tuning (SFT) is the most common step in post-training.

## Quick start

\`\`\`python
# Train a model on a chat dataset
from trl import SFTTrainer
trainer = SFTTrainer(model="Qwen/Qwen3-0.6B", train_dataset=dataset)
trainer.train()
\`\`\`

## Packing

Packing groups several short examples into one sequence of \`max_length\` tokens, so no compute is spent on padding.
Set \`packing=True\` in the SFTConfig to enable it.

## Train on completions only

Set \`completion_only_loss=True\` so that the loss is computed on the completion tokens only, not the prompt.

## SFTConfig[[trl.SFTConfig]]

- \`max_length\` (int, defaults to 1024): the maximum length of a tokenized sequence.
- \`packing\` (bool, defaults to False): whether to pack examples.
- \`dataset_text_field\` (str, defaults to "text"): the column holding the text.
`;

const DPO_TRAINER = `# DPO Trainer

Direct Preference Optimization trains on pairs of chosen and rejected completions.

## Expected dataset type

A preference dataset with \`prompt\`, \`chosen\` and \`rejected\` columns.

## DPOConfig[[trl.DPOConfig]]

- \`beta\` (float, defaults to 0.1): the temperature of the DPO loss.
`;
