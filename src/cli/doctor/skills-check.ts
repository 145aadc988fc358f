import type { Config } from '../../config/schema.js';
import type { Environment } from '../../config/environment.js';
import { SkillCatalog, type SkillLoadReport } from '../../skills/skill-catalog.js';
import { endpointsFrom } from '../../tools/tool-services.js';
import { ok, skip, type Check, type CheckResult } from './check.js';

/** Names shown in the line; the rest are counted. */
const SHOWN_NAMES = 8;
const quiet = { info: () => undefined, warn: () => undefined };

/**
 * Skills: loads config `skills` the way a worker does, straight from each source (no cache: `doctor`
 * never connects to Redis, and a fresh load is what shows whether the sources answer), and reports
 * one line: how many loaded and their names, with the sources and skills that were skipped and why.
 * A skipped source is not a failure: skills are optional and a worker runs without them.
 */
export function skillsCheck(
  settings: { config: Pick<Config, 'skills'>; environment: Environment; root: string },
  timeoutMs: number,
): Check {
  const sources = settings.config.skills;
  return {
    name: 'skills',
    target: sources.join(', ') || 'no source',
    run: async () => {
      if (sources.length === 0) return [skip('skills', 'none configured (config "skills" is empty)')];
      const endpoints = endpointsFrom(settings.environment);
      const catalog = new SkillCatalog({
        sources,
        services: {
          github: endpoints.github,
          hub: endpoints.hub,
          cache: { getOrLoad: (_key, _ttl, load) => load() },
          logger: quiet,
        },
        projectRoot: settings.root,
        // Inside the check's own deadline, so that a slow source reads as skipped, not as a hung check.
        sourceTimeoutMs: Math.max(500, Math.min(5_000, Math.round(timeoutMs * 0.8))),
      });
      return [skillsLine(await catalog.report())];
    },
  };
}

/** `✓ skills: 3 loaded (a, b, c); skipped …`. */
export function skillsLine(report: SkillLoadReport): CheckResult {
  const names = report.skills.map((skill) => skill.name);
  const shown = names.slice(0, SHOWN_NAMES).join(', ') + (names.length > SHOWN_NAMES ? ', …' : '');
  const parts = [`${names.length} loaded${names.length > 0 ? ` (${shown})` : ''}`];
  for (const failed of report.failedSources) parts.push(`source ${failed.source} skipped: ${failed.reason}`);
  if (report.rejected.length > 0) {
    const first = report.rejected[0];
    const more = report.rejected.length - 1;
    parts.push(
      `${report.rejected.length} skill${report.rejected.length === 1 ? '' : 's'} skipped` +
        (first
          ? ` (${first.dir || first.source}: ${first.reason}${more > 0 ? `; and ${more} more` : ''})`
          : ''),
    );
  }
  return ok('skills', parts.join('; '));
}
