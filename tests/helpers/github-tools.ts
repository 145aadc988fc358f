/**
 * The GitHub tools against a loopback GitHub REST API (trl and peft, with examples, and a user):
 * {@link setup} starts it for a test, {@link useGitHubFake} closes what a test started.
 */
import { afterEach } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { githubTools } from '../../src/tools/github/index.js';
import { githubRoutes, type FakeGitHubRepo, type FakeGitHubWorld } from '../fakes/github-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { toolHarness, type ToolHarness } from './tool-harness.js';

export const TOKEN = 'ghp_toolTestToken0123456789abcdefghijklmn';

function numbered(count: number, width = 10): string {
  return Array.from({ length: count }, (_, i) => `line ${i + 1} ${'x'.repeat(width)}`).join('\n') + '\n';
}

function trl(): FakeGitHubRepo {
  return {
    fullName: 'huggingface/trl',
    description: 'Train transformer language models with reinforcement learning.',
    stars: 15_000,
    language: 'Python',
    files: {
      'README.md': '# TRL\n',
      'trl/trainer/sft_trainer.py': 'class SFTTrainer:\n    pass\n',
      'trl/trainer/sft_config.py': 'class SFTConfig:\n    dataset_text_field = "text"\n',
      'examples/scripts/sft.py': 'from trl import SFTTrainer\ntrainer = SFTTrainer(model)\n',
      'examples/scripts/dpo.py': 'from trl import DPOTrainer\n',
      'examples/notebooks/sft_tutorial.ipynb': '{"cells": []}',
      'docs/source/sft_trainer.md': '# SFT Trainer\n',
      'examples/scripts/train_chat.py': 'from trl import SFTTrainer  # chat fine-tuning\n',
      'docs/images/sft.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]),
      'scripts/long.py': numbered(450, 2),
      'scripts/wide.py': numbered(300, 200),
      'scripts/fences.md': 'Example:\n```python\nprint(1)\n```\n',
      'scripts/big.txt': numbered(60_000, 10),
      'assets/blob.bin': Buffer.from([1, 2, 0, 3, 4]),
      'empty.txt': '',
    },
    refs: { 'v0.1': { 'examples/scripts/sft.py': 'old = True\n' } },
    symlinks: { 'examples/latest.py': 'examples/scripts/sft.py' },
  };
}

function peft(): FakeGitHubRepo {
  return {
    fullName: 'huggingface/peft',
    description: 'Parameter-efficient fine-tuning (LoRA and more), with SFT examples.',
    stars: 18_000,
    language: 'Python',
    files: {
      'examples/sft/train.py': 'from trl import SFTTrainer\n',
      'src/peft/tuners/lora.py': '# used with SFTTrainer too\n',
    },
  };
}

export function world(extra: Partial<FakeGitHubWorld> = {}): FakeGitHubWorld {
  return { repos: [trl(), peft()], token: TOKEN, users: ['karpathy'], ...extra };
}

export let loopback: Loopback | undefined;
export let harness: ToolHarness | undefined;

export async function setup(
  fake: FakeGitHubWorld,
  options: { token?: string; timeoutMs?: number } = {},
): Promise<{ h: ToolHarness; lb: Loopback; tool: (name: string) => AnyToolSpec }> {
  loopback = await startLoopback(githubRoutes(fake));
  harness = toolHarness({ github: { url: loopback.url, token: options.token } });
  const tools = githubTools(harness.services, { timeoutMs: options.timeoutMs ?? 5_000 });
  const tool = (name: string): AnyToolSpec => {
    const found = tools.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no tool ${name}`);
    return found;
  };
  return { h: harness, lb: loopback, tool };
}

/** The message of the error `run` fails with ('' when it does not fail). */
export async function messageOf(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => '',
    (err: unknown) => (err instanceof Error ? err.message : 'not an Error'),
  );
}

export function paths(output: string): string[] {
  return [...output.matchAll(/^\d+\. \*\*(.+?)\*\*/gm)].map((match) => match[1] ?? '');
}

/** Closes the harness and the fake a test set up, after each test of the file. */
export function useGitHubFake(): void {
  afterEach(async () => {
    await harness?.close();
    await loopback?.close();
    harness = undefined;
    loopback = undefined;
  });
}
