import { describe, expect, it } from 'vitest';
import { findSkillFolders } from '../../src/skills/skill-folders.js';
import { parseSkillSource, skillSourceProblem } from '../../src/skills/skill-source.js';

describe('skill sources (config "skills")', () => {
  it('reads github:owner/repo[@ref][/path]', () => {
    expect(parseSkillSource('github:huggingface/skills')).toEqual({
      kind: 'github',
      text: 'github:huggingface/skills',
      owner: 'huggingface',
      repo: 'skills',
      ref: undefined,
      path: '',
    });
    expect(parseSkillSource('github:my-org/team.skills@v1.2/skills/ml/')).toMatchObject({
      owner: 'my-org',
      repo: 'team.skills',
      ref: 'v1.2',
      path: 'skills/ml',
    });
    expect(parseSkillSource('github:o/r/skills')).toMatchObject({ ref: undefined, path: 'skills' });
  });

  it('reads hf:[datasets/|spaces/]owner/repo[@revision][/path]', () => {
    expect(parseSkillSource('hf:acme/skills')).toMatchObject({
      kind: 'hub',
      repoType: 'model',
      repoId: 'acme/skills',
      revision: undefined,
      path: '',
    });
    expect(parseSkillSource('hf:datasets/acme/skills@main/team')).toMatchObject({
      repoType: 'dataset',
      repoId: 'acme/skills',
      revision: 'main',
      path: 'team',
    });
    expect(parseSkillSource('hf:spaces/acme/app')).toMatchObject({ repoType: 'space', repoId: 'acme/app' });
  });

  it('takes anything without a scheme for a folder, Windows drives included', () => {
    expect(parseSkillSource('./team-skills')).toEqual({
      kind: 'local',
      text: './team-skills',
      path: './team-skills',
    });
    expect(parseSkillSource('/srv/skills')).toMatchObject({ kind: 'local', path: '/srv/skills' });
    expect(parseSkillSource('C:\\skills')).toMatchObject({ kind: 'local' });
  });

  it('refuses what names no source, saying which forms there are', () => {
    expect(skillSourceProblem('github:huggingface/skills')).toBeUndefined();
    expect(skillSourceProblem('github:huggingface')).toMatch(/is not github:owner\/repo\[@ref\]\[\/path\]/);
    expect(skillSourceProblem('github:huggingface/skills@')).toMatch(/is not github:owner\/repo/);
    expect(skillSourceProblem('github:o/r/../secrets')).toMatch(/"\." or "\.\."/);
    expect(skillSourceProblem('hf:justone')).toMatch(/is not hf:owner\/repo/);
    expect(skillSourceProblem('gitlab:o/r')).toMatch(/unknown kind "gitlab:"; use github:owner\/repo/);
    expect(skillSourceProblem('https://github.com/huggingface/skills')).toMatch(
      /is a URL; .*github:huggingface\/skills/,
    );
    expect(skillSourceProblem('  ')).toMatch(/an empty skill source/);
  });
});

describe('finding skill folders in a file list', () => {
  it('finds every folder with a SKILL.md and gives each its other files', () => {
    const folders = findSkillFolders(
      [
        'README.md',
        'skills/hf-cli/SKILL.md',
        'skills/trainer/SKILL.md',
        'skills/trainer/scripts/train.py',
        'skills/trainer/references/methods.md',
        'skills/trainer/examples/inner/SKILL.md',
        'skills/not-a-skill/notes.md',
      ],
      'repo',
    );
    expect(folders).toEqual([
      { dir: 'skills/hf-cli', folderName: 'hf-cli', files: [] },
      {
        dir: 'skills/trainer',
        folderName: 'trainer',
        // A SKILL.md inside a skill is one of its files, not a skill of its own.
        files: ['examples/inner/SKILL.md', 'references/methods.md', 'scripts/train.py'],
      },
    ]);
  });

  it('takes the root for one skill named after the root when it holds the SKILL.md', () => {
    expect(findSkillFolders(['SKILL.md', 'ref.md'], 'my-skill')).toEqual([
      { dir: '', folderName: 'my-skill', files: ['ref.md'] },
    ]);
  });
});
