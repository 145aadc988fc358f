import { featureType } from './feature-types.js';

/** The columns of one config and their types, as the reference's "Schema" table. */
export function schemaSection(config: string, features: ReadonlyMap<string, unknown>): string {
  const lines = [`## Schema (${config})`, '| Column | Type |', '|--------|------|'];
  for (const [name, feature] of features)
    lines.push(`| ${name} | ${featureType(feature).replace(/\|/g, '\\|')} |`);
  return lines.join('\n');
}
