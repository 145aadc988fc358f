import { describe, expect, it } from 'vitest';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import { type FakeGitHubRepo } from '../fakes/github-routes.js';
import { world, setup, useGitHubFake } from '../helpers/github-tools.js';

useGitHubFake();

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
