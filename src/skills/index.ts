export { SkillCatalog, type SkillCatalogOptions, type SkillLoadReport } from './skill-catalog.js';
export { parseSkillSource, skillSourceProblem, SkillSourceError, type SkillSource } from './skill-source.js';
export type { Skill } from './skill.js';
