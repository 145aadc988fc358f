import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SKILL_RESULT_CHARS } from '../../src/skills/load-skill-tool.js';
import {
  skillMd,
  folder,
  github,
  world,
  harness,
  catalog,
  skipped,
  useSkillsWorld,
} from '../helpers/skills-world.js';

useSkillsWorld();

describe('Agent Skills: sources, the prompt section and load_skill', () => {
  it('loads the valid skills of a local folder and a GitHub repository, skipping each invalid one with a log line', async () => {
    const skills = catalog(['team', 'github:acme/skills']);
    const report = await skills.report();

    expect(report.skills.map((skill) => skill.name)).toEqual(['team-eval', 'gh-papers', 'gh-trainer']);
    expect(report.failedSources).toEqual([]);
    const local = report.skills[0];
    expect(local).toMatchObject({
      source: 'team',
      dir: 'team-eval',
      files: ['assets/logo.png', 'references/metrics.md', 'scripts/run_eval.py'],
    });
    expect(report.skills[2]).toMatchObject({
      description: 'Fine-tune a model with TRL on Jobs. Use for SFT, DPO and GRPO.',
      dir: 'skills/gh-trainer',
      files: ['references/methods.md'],
    });

    const reasons = Object.fromEntries(report.rejected.map((rejected) => [rejected.dir, rejected.reason]));
    expect(reasons).toEqual({
      Bad_Name: expect.stringMatching(/not lowercase letters, digits and single hyphens/) as unknown,
      'wrong-folder': 'the name "other-name" is not the folder\'s name "wrong-folder"',
      'long-description': 'the description has 1100 characters (at most 1024)',
      'no-front-matter': expect.stringMatching(/no front matter/) as unknown,
      'skills/GH-Broken': expect.stringMatching(/not lowercase/) as unknown,
    });
    // Each skipped skill is one log line that names it and says why.
    expect(
      skipped()
        .map((line) => line.skill)
        .sort(),
    ).toEqual(['Bad_Name', 'long-description', 'no-front-matter', 'skills/GH-Broken', 'wrong-folder']);

    // One git-trees call with recursive set, then the SKILL.md files only: no other file is fetched.
    const paths = github.requests.map((request) => request.path);
    expect(paths.filter((path) => path.includes('/git/trees/'))).toEqual([
      '/repos/acme/skills/git/trees/HEAD',
    ]);
    expect(
      github.requests.find((request) => request.path.includes('/git/trees/'))?.query.get('recursive'),
    ).toBe('1');
    expect(paths.filter((path) => path.includes('/contents/')).sort()).toEqual([
      '/repos/acme/skills/contents/skills/GH-Broken/SKILL.md',
      '/repos/acme/skills/contents/skills/gh-papers/SKILL.md',
      '/repos/acme/skills/contents/skills/gh-trainer/SKILL.md',
    ]);
  });

  it('reads a ref and a path: github:owner/repo@ref/path', async () => {
    const skills = await catalog(['github:acme/skills@v2/skills']).load();
    expect(skills.map((skill) => [skill.name, skill.description, skill.dir])).toEqual([
      ['gh-trainer', 'Version two.', 'gh-trainer'],
    ]);
    expect(github.requests[0]?.path).toBe('/repos/acme/skills/git/trees/v2');
    expect(github.requests[1]?.query.get('ref')).toBe('v2');
  });

  it('lists every skill in the prompt section with when to call load_skill; empty without skills', async () => {
    const section = await catalog(['team', 'github:acme/skills']).promptSection();
    expect(section.split('\n')[0]).toBe('## Skills');
    expect(section).toMatch(/call load_skill with its name/);
    expect(section).toContain(
      '- team-eval: Evaluate a model on the team benchmark. Use when asked to score a checkpoint.',
    );
    expect(section).toContain('- gh-trainer: Fine-tune a model with TRL on Jobs. Use for SFT, DPO and GRPO.');
    expect(section).toContain('- gh-papers: Find and read papers.');
    expect(section).not.toMatch(/other-name|Bad_Name|GH-Broken/);

    expect(await catalog([]).promptSection()).toBe('');
    await mkdir(join(folder, 'empty'));
    expect(await catalog(['empty']).promptSection()).toBe('');
  });

  it('load_skill gives the body and the files, one file on request, and never asks', async () => {
    const skills = catalog(['team', 'github:acme/skills']);
    const tool = skills.tool();
    expect(tool.name).toBe('load_skill');
    expect(tool.sideEffects).toBe(false);
    expect(harness.approval(tool, { name: 'gh-trainer' })).toBeUndefined();
    expect(harness.approval(tool, { name: 'gh-trainer', file: 'references/methods.md' })).toBeUndefined();

    const body = await harness.run(tool, { name: 'team-eval' });
    expect(body.isError).toBeFalsy();
    expect(body.output).toContain('# Skill: team-eval');
    expect(body.output).toContain('Run `scripts/run_eval.py` and read `references/metrics.md`.');
    expect(body.output).not.toContain('description:');
    expect(body.output).toContain('- references/metrics.md\n- scripts/run_eval.py');
    expect(body.output).toMatch(/load_skill \{"name": "team-eval", "file": "<path above>"\}/);

    const local = await harness.run(tool, { name: 'team-eval', file: './references/metrics.md' });
    expect(local.output).toBe(
      '## team-eval/references/metrics.md\n\n# Metrics\n\nAccuracy and F1, macro-averaged.\n',
    );

    const before = github.requests.length;
    const remote = await harness.run(tool, { name: 'gh-trainer', file: 'references/methods.md' });
    expect(remote.output).toBe('## gh-trainer/references/methods.md\n\n# Methods\n\nSFT, DPO, GRPO.\n');
    expect(github.requests.slice(before).map((request) => request.path)).toEqual([
      '/repos/acme/skills/contents/skills/gh-trainer/references/methods.md',
    ]);

    const binary = await harness.run(tool, { name: 'team-eval', file: 'assets/logo.png' });
    expect(binary.output).toBe(
      'team-eval/assets/logo.png is a binary file (7 bytes); it cannot be shown as text.',
    );

    const skillFile = await harness.run(tool, { name: 'gh-papers', file: 'SKILL.md' });
    expect(skillFile.output).toBe('# Skill: gh-papers\n\n# Papers');
  });

  it('load_skill answers an unknown name with the names, and refuses a file outside the skill or not listed', async () => {
    const tool = catalog(['team', 'github:acme/skills']).tool();

    const unknown = await harness.run(tool, { name: 'trainer' });
    expect(unknown).toEqual({
      output: 'No skill named "trainer". The skills are: team-eval, gh-papers, gh-trainer.',
      isError: true,
    });
    const invalid = await harness.run(tool, { name: 'other-name' });
    expect(invalid.isError).toBe(true);

    for (const file of [
      '../secret.txt',
      '../../etc/passwd',
      '/etc/passwd',
      'references/../../secret.txt',
      'C:\\x',
    ]) {
      const refused = await harness.run(tool, { name: 'team-eval', file });
      expect(refused.isError).toBe(true);
      expect(refused.output).toMatch(
        /is not a file of skill team-eval\. Its files are: assets\/logo\.png, references\/metrics\.md/,
      );
      expect(refused.output).not.toContain('not part of any skill');
    }
    const unlisted = await harness.run(tool, { name: 'gh-papers', file: 'README.md' });
    expect(unlisted).toEqual({
      output: '"README.md" is not a file of skill gh-papers: it has no files besides SKILL.md.',
      isError: true,
    });
    // Refused paths are never fetched.
    expect(github.requests.some((request) => request.path.endsWith('README.md'))).toBe(false);

    expect(await harness.run(catalog([]).tool(), { name: 'x' })).toEqual({
      output: 'No skill named "x": no skills are loaded.',
      isError: true,
    });
  });

  it('keeps a long skill under the cap, saying what was cut', async () => {
    world.repos['acme/skills']!.refs.main!['skills/gh-papers/SKILL.md'] = skillMd(
      'gh-papers',
      'Long.',
      `# Start\n${'line of instructions\n'.repeat(4_000)}# End`,
    );
    const result = await harness.run(catalog(['github:acme/skills']).tool(), { name: 'gh-papers' });
    expect(result.output.length).toBeLessThanOrEqual(SKILL_RESULT_CHARS);
    expect(result.output).toContain('# Start');
    expect(result.output).toContain('# End');
    expect(result.output).toMatch(/characters cut from the middle; the skill is too long to show whole/);
  });
});
