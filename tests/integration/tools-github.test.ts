import { afterEach, describe, expect, it } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { githubTools } from '../../src/tools/github/index.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import {
  githubRoutes,
  rateLimitExhausted,
  secondaryRateLimit,
  type FakeGitHubRepo,
  type FakeGitHubWorld,
} from '../fakes/github-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

const TOKEN = 'ghp_toolTestToken0123456789abcdefghijklmn';

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

function world(extra: Partial<FakeGitHubWorld> = {}): FakeGitHubWorld {
  return { repos: [trl(), peft()], token: TOKEN, users: ['karpathy'], ...extra };
}

let loopback: Loopback | undefined;
let harness: ToolHarness | undefined;

afterEach(async () => {
  await harness?.close();
  await loopback?.close();
  harness = undefined;
  loopback = undefined;
});

async function setup(
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
async function messageOf(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => '',
    (err: unknown) => (err instanceof Error ? err.message : 'not an Error'),
  );
}

function paths(output: string): string[] {
  return [...output.matchAll(/^\d+\. \*\*(.+?)\*\*/gm)].map((match) => match[1] ?? '');
}

describe('github tools: the contract', () => {
  it('exports the three tools, read-only, none of which ever asks', async () => {
    const { h, tool } = await setup(world());
    const calls: [string, unknown][] = [
      ['github_find_examples', { keyword: 'sft', repo: 'trl' }],
      ['github_find_examples', { keyword: 'sft' }],
      ['github_list_repos', { owner: 'huggingface' }],
      ['github_read_file', { repo: 'huggingface/trl', path: 'README.md', line_start: 1, line_end: 2 }],
    ];
    for (const [name, args] of calls) {
      expect(tool(name).sideEffects).toBe(false);
      expect(h.approval(tool(name), args)).toBeUndefined();
    }
  });
});

describe('github_find_examples', () => {
  it('ranks examples/ and scripts/ first in a repo, file-name matches before folder ones, without a token', async () => {
    const { h, lb, tool } = await setup(world());
    const result = await h.run(tool('github_find_examples'), { keyword: 'sft', repo: 'trl' });
    const found = paths(result.output);
    expect(found[0]).toBe('examples/scripts/sft.py');
    expect(found.indexOf('examples/notebooks/sft_tutorial.ipynb')).toBeGreaterThan(0);
    // Outside example folders come last, and images are never examples.
    expect(found.indexOf('trl/trainer/sft_trainer.py')).toBeGreaterThan(
      found.indexOf('examples/notebooks/sft_tutorial.ipynb'),
    );
    expect(found).not.toContain('docs/images/sft.png');
    // A content-only match needs code search, hence a token.
    expect(found).not.toContain('examples/scripts/train_chat.py');
    expect(result.output).toContain('https://github.com/huggingface/trl/blob/main/examples/scripts/sft.py');
    expect(result.output).toContain(
      "github_read_file, e.g. {repo: 'huggingface/trl', path: 'examples/scripts/sft.py'}",
    );
    expect(result.output).toMatch(/with GITHUB_TOKEN set, file contents are searched too/);
    expect(lb.requests.some((req) => req.path === '/search/code')).toBe(false);
    expect(lb.requests.every((req) => req.token === undefined)).toBe(true);
    expect(lb.requests.find((req) => req.path.includes('/git/trees/'))?.query.get('recursive')).toBe('1');
  });

  it('with a token, adds content matches from code search, after the path matches of the same folder', async () => {
    const { h, lb, tool } = await setup(world(), { token: TOKEN });
    const result = await h.run(tool('github_find_examples'), {
      keyword: 'SFTTrainer',
      repo: 'huggingface/trl',
    });
    const found = paths(result.output);
    expect(found).toContain('examples/scripts/train_chat.py');
    expect(found.indexOf('examples/scripts/train_chat.py')).toBeLessThan(
      found.indexOf('trl/trainer/sft_trainer.py'),
    );
    expect(result.output).toContain('> `from trl import SFTTrainer  # chat fine-tuning`');
    const search = lb.requests.find((req) => req.path === '/search/code');
    expect(search?.query.get('q')).toBe('SFTTrainer repo:huggingface/trl');
    expect(String(search?.headers.accept)).toContain('text-match');
    expect(search?.token).toBe(TOKEN);
    expect(result.output).not.toContain(TOKEN);
  });

  it('searches code across the org with a token, examples first, each hit with its repo', async () => {
    const { h, lb, tool } = await setup(world(), { token: TOKEN });
    const result = await h.run(tool('github_find_examples'), { keyword: 'SFTTrainer' });
    expect(lb.requests.find((req) => req.path === '/search/code')?.query.get('q')).toBe(
      'SFTTrainer org:huggingface',
    );
    const found = paths(result.output);
    const firstOutside = found.findIndex((path) => !/^(examples|scripts)\//.test(path));
    const lastInside = found.map((path) => /^(examples|scripts)\//.test(path)).lastIndexOf(true);
    expect(lastInside).toBeLessThan(firstOutside);
    expect(result.output).toMatch(/\*\*examples\/sft\/train\.py\*\* · huggingface\/peft/);
    expect(result.output).toMatch(
      /\*\*Found 5 files in huggingface matching 'SFTTrainer'\*\* \(examples\/ and scripts\/ first\)/,
    );
  });

  it('searches a user with user: after GitHub refuses org: for it (422)', async () => {
    const fake = world({
      repos: [
        ...world().repos,
        { fullName: 'karpathy/nanoGPT', stars: 40_000, files: { 'train.py': 'import torch\n' } },
      ],
    });
    const { h, lb, tool } = await setup(fake, { token: TOKEN });
    const result = await h.run(tool('github_find_examples'), { keyword: 'torch', org: 'karpathy' });
    const queries = lb.requests.filter((req) => req.path === '/search/code').map((req) => req.query.get('q'));
    expect(queries).toEqual(['torch org:karpathy', 'torch user:karpathy']);
    expect(paths(result.output)).toEqual(['train.py']);
  });

  it('without a token and without a repo, names the matching repos and says to set GITHUB_TOKEN', async () => {
    const { h, lb, tool } = await setup(world());
    const result = await h.run(tool('github_find_examples'), { keyword: 'fine-tuning' });
    expect(result.output).toMatch(/needs GITHUB_TOKEN/);
    expect(result.output).toContain('**huggingface/peft**');
    expect(result.output).toContain(
      "Next: github_find_examples {keyword: 'fine-tuning', repo: 'huggingface/peft'}",
    );
    expect(lb.requests.some((req) => req.path === '/search/code')).toBe(false);
    expect(lb.requests.find((req) => req.path === '/search/repositories')?.query.get('q')).toBe(
      'fine-tuning user:huggingface',
    );
  });

  it('caches the file list: a second search in the repo makes no tree request', async () => {
    const { h, lb, tool } = await setup(world());
    await h.run(tool('github_find_examples'), { keyword: 'sft', repo: 'trl' });
    const before = lb.requests.length;
    const again = await h.run(tool('github_find_examples'), { keyword: 'dpo', repo: 'trl' });
    expect(paths(again.output)).toEqual(['examples/scripts/dpo.py']);
    expect(lb.requests.length).toBe(before);
  });

  it('lists the example folders when nothing matches', async () => {
    const { h, tool } = await setup(world());
    const result = await h.run(tool('github_find_examples'), { keyword: 'ppo', repo: 'trl' });
    expect(result.output).toMatch(/No file of huggingface\/trl matches 'ppo'/);
    expect(result.output).toContain('- examples/scripts/ (');
  });

  it('answers a repo that does not exist with similar repos of the owner', async () => {
    const { h, tool } = await setup(world());
    await expect(h.run(tool('github_find_examples'), { keyword: 'sft', repo: 'lora' })).rejects.toThrow(
      /huggingface\/lora was not found on GitHub\. Similar repositories of huggingface:\n1\. \*\*huggingface\/peft\*\*/,
    );
  });

  it('reports the 404 alone when no similar repo exists', async () => {
    const { h, tool } = await setup(world());
    await expect(h.run(tool('github_find_examples'), { keyword: 'sft', repo: 'zzz' })).rejects.toThrow(
      /Not found on GitHub: repository huggingface\/zzz \(404\)\. Check the owner/,
    );
  });

  it('keeps a long list under the result cap and says it was cut', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++)
      files[`examples/scripts/sft_variant_${i}_${'long_name_'.repeat(8)}.py`] = 'x\n';
    const { h, tool } = await setup(world({ repos: [{ fullName: 'huggingface/many', files }] }));
    const result = await h.run(tool('github_find_examples'), { keyword: 'sft', repo: 'many' });
    expect(result.output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    expect(result.output).toMatch(/showing 20 of 400; add words to the keyword to narrow/);
  });

  it('refuses a repo name that is not one', async () => {
    const { h, tool } = await setup(world());
    await expect(
      h.run(tool('github_find_examples'), { keyword: 'sft', repo: 'not a repo!' }),
    ).rejects.toThrow(/is not a GitHub repository; write it as owner\/name/);
  });
});

describe('github_list_repos', () => {
  it('lists the most-starred repos first in a table, capped at 30, archived ones marked', async () => {
    const repos: FakeGitHubRepo[] = Array.from({ length: 35 }, (_, i) => ({
      fullName: `huggingface/repo-${i}`,
      stars: i * 10,
      description: i === 34 ? 'Has | a pipe\nand a newline' : `Repo ${i}`,
      archived: i === 33,
      updatedAt: '2026-10-0' + String((i % 9) + 1) + 'T00:00:00Z',
      files: {},
    }));
    const { h, lb, tool } = await setup(world({ repos }));
    const result = await h.run(tool('github_list_repos'), { owner: 'https://github.com/huggingface' });
    const request = lb.requests.find((req) => req.path === '/search/repositories');
    expect(request?.query.get('q')).toBe('user:huggingface');
    expect(request?.query.get('sort')).toBe('stars');
    expect(result.output).toContain('(by stars; the 30 most-starred of 35)');
    const rows = result.output.split('\n').filter((line) => line.startsWith('| huggingface/'));
    expect(rows).toHaveLength(30);
    expect(rows[0]).toBe('| huggingface/repo-34 | 340 | 2026-10-08 |  | Has / a pipe and a newline |');
    expect(rows[1]).toContain('huggingface/repo-33 (archived)');
    expect(result.output).toContain('Pages: https://github.com/<repo>.');
  });

  it('says the owner does not exist on the 422 GitHub gives for it', async () => {
    const { h, tool } = await setup(world());
    await expect(h.run(tool('github_list_repos'), { owner: 'no-such-owner' })).rejects.toThrow(
      /GitHub has no user or organization named 'no-such-owner'/,
    );
  });
});

describe('github_read_file', () => {
  it('shows the first 300 numbered lines, the total, and the call that reads on', async () => {
    const { h, lb, tool } = await setup(world());
    const result = await h.run(tool('github_read_file'), {
      repo: 'huggingface/trl',
      path: 'scripts/long.py',
    });
    expect(result.output).toContain('**Lines:** 1-300 of 450');
    expect(result.output).toContain('  1 | line 1 xx\n');
    expect(result.output).toContain('300 | line 300 ');
    expect(result.output).not.toContain('line 301 ');
    expect(result.output).toContain(
      'To read on: {"repo":"huggingface/trl","path":"scripts/long.py","line_start":301,"line_end":450}',
    );
    expect(result.output).toContain('**URL:** https://github.com/huggingface/trl/blob/main/scripts/long.py');
    expect(lb.requests[0]?.path).toBe('/repos/huggingface/trl/contents/scripts/long.py');
    expect(result.output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
  });

  it('reads a line range, and the last lines without a footer', async () => {
    const { h, tool } = await setup(world());
    const range = await h.run(tool('github_read_file'), {
      repo: 'huggingface/trl',
      path: 'scripts/long.py',
      line_start: 100,
      line_end: 102,
    });
    expect(range.output).toMatch(/```\n100 \| line 100 x+\n101 \| line 101 x+\n102 \| line 102 x+\n```/);
    const tail = await h.run(tool('github_read_file'), {
      repo: 'huggingface/trl',
      path: 'scripts/long.py',
      line_start: 449,
    });
    expect(tail.output).toContain('**Lines:** 449-450 of 450');
    expect(tail.output).not.toContain('To read on');
  });

  it('refuses a range past the end of the file, or backwards', async () => {
    const { h, tool } = await setup(world());
    await expect(
      h.run(tool('github_read_file'), { repo: 'huggingface/trl', path: 'scripts/long.py', line_start: 451 }),
    ).rejects.toThrow(/The file has 450 lines; line_start 451 is past its end/);
    await expect(
      h.run(tool('github_read_file'), {
        repo: 'huggingface/trl',
        path: 'scripts/long.py',
        line_start: 9,
        line_end: 3,
      }),
    ).rejects.toThrow(/line_end \(3\) is before line_start \(9\)/);
  });

  it('stops early on long lines to stay under the cap, and says where to go on', async () => {
    const { h, tool } = await setup(world());
    const result = await h.run(tool('github_read_file'), {
      repo: 'huggingface/trl',
      path: 'scripts/wide.py',
    });
    expect(result.output.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
    const last = Number(/\*\*Lines:\*\* 1-(\d+) of 300/.exec(result.output)?.[1]);
    expect(last).toBeGreaterThan(10);
    expect(last).toBeLessThan(300);
    expect(result.output).toContain('(the rest of the range did not fit in one result)');
    expect(result.output).toContain(`"line_start":${last + 1}`);
  });

  it('reads at a ref, and says to check the ref when it does not exist', async () => {
    const { h, lb, tool } = await setup(world());
    const old = await h.run(tool('github_read_file'), {
      repo: 'huggingface/trl',
      path: 'examples/scripts/sft.py',
      ref: 'v0.1',
    });
    expect(old.output).toContain('1 | old = True');
    expect(old.output).toContain('(ref v0.1)');
    expect(lb.requests.at(-1)?.query.get('ref')).toBe('v0.1');
    await expect(
      h.run(tool('github_read_file'), {
        repo: 'huggingface/trl',
        path: 'examples/scripts/sft.py',
        ref: 'v9',
      }),
    ).rejects.toThrow(
      /Not found on GitHub: examples\/scripts\/sft\.py in huggingface\/trl at v9 \(404\)\. Check the path \(case-sensitive\) and the ref/,
    );
  });

  it('fetches a file over 1 MB through the raw media type', async () => {
    const { h, lb, tool } = await setup(world());
    const result = await h.run(tool('github_read_file'), {
      repo: 'huggingface/trl',
      path: 'scripts/big.txt',
      line_start: 59_999,
    });
    expect(result.output).toContain('**Lines:** 59999-60000 of 60,000');
    expect(result.output).toContain('60000 | line 60000 xxxxxxxxxx');
    expect(String(lb.requests.at(-1)?.headers.accept)).toMatch(/raw/);
  });

  it('lists a directory, names a symlink target, and does not print binary or empty files', async () => {
    const { h, tool } = await setup(world());
    const run = (path: string) => h.run(tool('github_read_file'), { repo: 'huggingface/trl', path });
    const dir = await run('examples/');
    expect(dir.output).toMatch(/examples in huggingface\/trl is a directory with 3 entries/);
    expect(dir.output).toContain('- notebooks/\n- scripts/\n- latest.py [symlink]');
    expect((await run('examples/latest.py')).output).toContain('symbolic link to examples/scripts/sft.py');
    expect((await run('assets/blob.bin')).output).toMatch(
      /is a binary file \(5 B\); it has no lines to show/,
    );
    expect((await run('empty.txt')).output).toMatch(/empty\.txt in huggingface\/trl is empty/);
  });

  it('fences a file that contains fences with a longer fence', async () => {
    const { h, tool } = await setup(world());
    const result = await h.run(tool('github_read_file'), {
      repo: 'huggingface/trl',
      path: 'scripts/fences.md',
    });
    expect(result.output).toContain('````\n1 | Example:\n2 | ```python\n3 | print(1)\n4 | ```\n````');
  });
});

describe('github tools: failures', () => {
  const read = { repo: 'huggingface/trl', path: 'README.md' };

  it('401 with a bad token: says to fix GITHUB_TOKEN, never shows it', async () => {
    const { h, tool } = await setup(world(), { token: 'ghp_wrongWrongWrong000000000000000000000' });
    const err = await messageOf(h.run(tool('github_read_file'), read));
    expect(err).toMatch(
      /GitHub refused GITHUB_TOKEN \(401: Bad credentials\)\. Set GITHUB_TOKEN to a valid token/,
    );
    expect(err).not.toContain('ghp_wrong');
  });

  it('403 that is not a rate limit: the token lacks access or needs SSO', async () => {
    const fake = world({
      failures: [
        {
          path: /\/contents\//,
          answer: {
            status: 403,
            body: {
              message: 'Resource not accessible by personal access token',
              documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
              status: '403',
            },
          },
        },
      ],
    });
    const { h, lb, tool } = await setup(fake, { token: TOKEN });
    await expect(h.run(tool('github_read_file'), read)).rejects.toThrow(
      /GitHub refused access to README\.md in huggingface\/trl \(403: Resource not accessible by personal access token\)\. GITHUB_TOKEN may lack access to this repository, or need authorising for the organization \(SSO\)\./,
    );
    expect(lb.requests).toHaveLength(1);
  });

  it('a private repo reads as not found without the token, and opens with it', async () => {
    const secret: FakeGitHubRepo = {
      fullName: 'huggingface/secret',
      private: true,
      files: { 'a.py': 'x = 1\n' },
    };
    const fake = world({ repos: [secret] });
    {
      const { h, tool } = await setup(fake);
      await expect(
        h.run(tool('github_read_file'), { repo: 'huggingface/secret', path: 'a.py' }),
      ).rejects.toThrow(/a private repository also reads as not found without a GITHUB_TOKEN/);
      await harness?.close();
      await loopback?.close();
    }
    const { h, tool } = await setup(fake, { token: TOKEN });
    expect(
      (await h.run(tool('github_read_file'), { repo: 'huggingface/secret', path: 'a.py' })).output,
    ).toContain('1 | x = 1');
  });

  it('403 primary rate limit without a token: when it resets and to set GITHUB_TOKEN, without retrying', async () => {
    const { h, lb, tool } = await setup(world({ remaining: 0 }));
    const err = await messageOf(h.run(tool('github_read_file'), read));
    expect(err).toMatch(
      /GitHub's rate limit for unauthenticated requests is used up \(403\); it resets in about \d+ min \(at \d\d:\d\d UTC\)\..*Setting GITHUB_TOKEN raises the limit/,
    );
    expect(lb.requests).toHaveLength(1);
  });

  it('a secondary limit with retry-after: 1 is waited out and retried', async () => {
    const fake = world({ failures: [{ path: /\/contents\//, answer: secondaryRateLimit(1), times: 1 }] });
    const { h, lb, tool } = await setup(fake);
    const result = await h.run(tool('github_read_file'), read);
    expect(result.output).toContain('1 | # TRL');
    const [first, second] = lb.requests;
    expect(lb.requests).toHaveLength(2);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('429 with a long retry-after is reported with the wait, not waited out', async () => {
    const fake = world({ failures: [{ path: /\/contents\//, answer: secondaryRateLimit(60, 429) }] });
    const { h, lb, tool } = await setup(fake);
    await expect(h.run(tool('github_read_file'), read)).rejects.toThrow(
      /GitHub is rate limiting these requests \(429\); it asks to wait 60 s\. Wait before retrying/,
    );
    expect(lb.requests).toHaveLength(1);
  });

  it('403 on code search as a rate limit leaves the path matches and a note', async () => {
    const fake = world({ failures: [{ path: /^\/search\/code$/, answer: rateLimitExhausted() }] });
    const { h, tool } = await setup(fake, { token: TOKEN });
    const result = await h.run(tool('github_find_examples'), { keyword: 'sft', repo: 'trl' });
    expect(paths(result.output)[0]).toBe('examples/scripts/sft.py');
    expect(result.output).toMatch(
      /Note: File contents were not searched: GitHub's rate limit for GITHUB_TOKEN is used up/,
    );
  });

  it('a 502 is retried once and then succeeds', async () => {
    const fake = world({
      failures: [
        { path: /\/contents\//, answer: { status: 502, body: '<html>Bad gateway</html>' }, times: 1 },
      ],
    });
    const { h, lb, tool } = await setup(fake);
    expect((await h.run(tool('github_read_file'), read)).output).toContain('# TRL');
    expect(lb.requests).toHaveLength(2);
  });

  it('a hung GitHub times out with a message that says what to do', async () => {
    const fake = world({ failures: [{ path: /\/contents\//, answer: { hang: true } }] });
    const { h, tool } = await setup(fake, { timeoutMs: 300 });
    await expect(h.run(tool('github_read_file'), read)).rejects.toThrow(
      /GitHub did not answer within 0\.3 s \(README\.md in huggingface\/trl\); try again, or ask for less/,
    );
  });

  it('a malformed answer reads as one clear error', async () => {
    const fake = world({
      failures: [
        {
          path: /\/contents\//,
          answer: {
            status: 200,
            body: '{"type": "file", "content": ',
            headers: { 'content-type': 'application/json' },
          },
        },
      ],
    });
    const { h, tool } = await setup(fake);
    await expect(h.run(tool('github_read_file'), read)).rejects.toThrow(
      /GitHub sent an answer this tool cannot read for README\.md in huggingface\/trl \(\d+ characters of text\); try again later/,
    );
  });

  it('GitHub unreachable: says so with the reason', async () => {
    const closed = await startLoopback([]);
    await closed.close();
    harness = toolHarness({ github: { url: closed.url } });
    const [, , readFile] = githubTools(harness.services, { timeoutMs: 2_000 });
    await expect(harness.run(readFile as AnyToolSpec, read)).rejects.toThrow(
      /Could not reach GitHub \(ECONNREFUSED\) for README\.md in huggingface\/trl; try again later/,
    );
  });

  it('an interrupted turn stops the call', async () => {
    const fake = world({ failures: [{ path: /\/contents\//, answer: { hang: true } }] });
    const { h, tool } = await setup(fake);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(h.run(tool('github_read_file'), read, controller.signal)).rejects.toThrow(
      /Stopped: the turn was interrupted/,
    );
  });
});
