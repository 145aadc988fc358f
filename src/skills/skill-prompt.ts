import type { Skill } from './skill.js';

/**
 * The system prompt's "## Skills" section: each skill's name and description (the first level of
 * the format's progressive disclosure), and when to call `load_skill`. Empty when there is no skill,
 * so that a config without skills adds nothing to the prompt.
 */
export function skillsPromptSection(skills: readonly Skill[]): string {
  if (skills.length === 0) return '';
  return [
    '## Skills',
    '',
    'Skills are tested instructions, scripts and references for specific tasks. When the task at hand ' +
      'matches a skill below, call load_skill with its name before you start and follow what it says; ' +
      'load_skill with a file reads one of the files it lists.',
    '',
    ...skills.map((skill) => `- ${skill.name}: ${skill.description}`),
  ].join('\n');
}
