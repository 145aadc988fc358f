import { describe, expect, it } from 'vitest';
import { parseSkillFile } from '../../src/skills/skill-front-matter.js';

const skillMd = (front: string, body = '# Title\n\nDo the thing.\n'): string => `---\n${front}\n---\n${body}`;

describe('SKILL.md front matter (Agent Skills format)', () => {
  it('reads name, description and the body after the front matter', () => {
    const result = parseSkillFile(
      skillMd(
        'name: pdf-processing\ndescription: Extract text from PDFs. Use when a PDF is mentioned.\nlicense: Apache-2.0',
      ),
      'pdf-processing',
    );
    expect(result).toEqual({
      ok: true,
      skill: {
        name: 'pdf-processing',
        description: 'Extract text from PDFs. Use when a PDF is mentioned.',
        body: '# Title\n\nDo the thing.',
      },
    });
  });

  it('joins a folded or quoted multi-line description onto one line; CRLF and a BOM are fine', () => {
    const folded = parseSkillFile(skillMd('name: a1\ndescription: >-\n  First line\n  second line.'), 'a1');
    expect(folded.ok && folded.skill.description).toBe('First line second line.');
    const windows = parseSkillFile(
      '\uFEFF---\r\nname: a1\r\ndescription: "Quoted: with a colon"\r\n---\r\nBody\r\n',
      'a1',
    );
    expect(windows).toMatchObject({ ok: true, skill: { description: 'Quoted: with a colon', body: 'Body' } });
  });

  it('accepts names of 1 and 64 characters, digits included', () => {
    expect(parseSkillFile(skillMd('name: a\ndescription: d'), 'a').ok).toBe(true);
    const long = `${'a1'.repeat(31)}ab`;
    expect(long).toHaveLength(64);
    expect(parseSkillFile(skillMd(`name: ${long}\ndescription: d`), long).ok).toBe(true);
  });

  it.each([
    ['PDF-Processing', /not lowercase letters, digits and single hyphens/],
    ['-pdf', /not lowercase/],
    ['pdf-', /not lowercase/],
    ['pdf--processing', /not lowercase/],
    ['pdf_processing', /not lowercase/],
    ['pdf processing', /not lowercase/],
    ['a'.repeat(65), /has 65 characters \(1 to 64\)/],
  ])('refuses the name %j', (name, reason) => {
    const result = parseSkillFile(skillMd(`name: "${name}"\ndescription: d`), name);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it("refuses a name that is not the folder's", () => {
    expect(parseSkillFile(skillMd('name: trainer\ndescription: d'), 'llm-trainer')).toEqual({
      ok: false,
      reason: 'the name "trainer" is not the folder\'s name "llm-trainer"',
    });
  });

  it('refuses a missing, non-string or empty name or description, and one over 1,024 characters', () => {
    const reasonOf = (text: string, folder = 'x'): string => {
      const result = parseSkillFile(text, folder);
      return result.ok ? 'ok' : result.reason;
    };
    expect(reasonOf(skillMd('description: d'))).toBe('the front matter has no name');
    expect(reasonOf(skillMd('name: 12\ndescription: d'), '12')).toBe('the name is not a string');
    expect(reasonOf(skillMd('name: x'))).toMatch(/no description/);
    expect(reasonOf(skillMd('name: x\ndescription: "   "'))).toMatch(/no description/);
    expect(reasonOf(skillMd('name: x\ndescription: [a, b]'))).toMatch(/no description/);
    expect(reasonOf(skillMd(`name: x\ndescription: ${'d'.repeat(1_024)}`))).toBe('ok');
    expect(reasonOf(skillMd(`name: x\ndescription: ${'d'.repeat(1_025)}`))).toBe(
      'the description has 1025 characters (at most 1024)',
    );
  });

  it('refuses a file without front matter, an unclosed one, broken YAML and a list instead of fields', () => {
    expect(parseSkillFile('# Just Markdown\n', 'x')).toMatchObject({ ok: false, reason: /no front matter/ });
    expect(parseSkillFile('---\nname: x\ndescription: d\n', 'x')).toMatchObject({
      ok: false,
      reason: /no front matter/,
    });
    expect(parseSkillFile('text first\n---\nname: x\n---\n', 'x')).toMatchObject({
      ok: false,
      reason: /no front matter/,
    });
    expect(parseSkillFile(skillMd('name: [x\ndescription: d'), 'x')).toMatchObject({
      ok: false,
      reason: /not valid YAML/,
    });
    expect(parseSkillFile(skillMd('- name\n- description'), 'x')).toMatchObject({
      ok: false,
      reason: /not a YAML mapping/,
    });
    expect(parseSkillFile('---\n---\nbody', 'x')).toMatchObject({
      ok: false,
      reason: 'the front matter has no name',
    });
  });
});
