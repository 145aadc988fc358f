import { describe, expect, it } from 'vitest';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { TOKEN, world, setup, paths, useGitHubFake } from '../helpers/github-tools.js';

useGitHubFake();

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
