import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { skillsCheck } from '../../src/cli/doctor/skills-check.js';
import { formatResult } from '../../src/cli/doctor/check.js';
import { readEnvironment } from '../../src/config/environment.js';
import { freePort } from '../../src/cli/free-port.js';
import { SkillCatalog } from '../../src/skills/skill-catalog.js';
import { ToolCache } from '../../src/tools/shared/tool-cache.js';
import { startLoopback } from '../fakes/loopback-http.js';
import { REDIS_URL } from '../helpers/test-app.js';
import {
  skillMd,
  hubSkillsRoutes,
  folder,
  github,
  world,
  harness,
  log,
  catalog,
  useSkillsWorld,
} from '../helpers/skills-world.js';

useSkillsWorld();

describe('Agent Skills: caching, unreachable and bad sources, the Hub, doctor', () => {
  it('caches a GitHub listing and its fetched files in Redis: a second catalog on the same prefix asks GitHub nothing', async () => {
    const first = catalog(['github:acme/skills']);
    expect((await first.load()).map((skill) => skill.name)).toEqual(['gh-papers', 'gh-trainer']);
    await harness.run(first.tool(), { name: 'gh-trainer', file: 'references/methods.md' });
    const asked = github.requests.length;
    expect(asked).toBe(5);

    const second = catalog(['github:acme/skills']);
    expect((await second.load()).map((skill) => skill.name)).toEqual(['gh-papers', 'gh-trainer']);
    expect(await second.promptSection()).toContain('- gh-trainer:');
    const file = await harness.run(second.tool(), { name: 'gh-trainer', file: 'references/methods.md' });
    expect(file.output).toContain('SFT, DPO, GRPO.');
    const body = await harness.run(second.tool(), { name: 'gh-papers' });
    expect(body.output).toContain('# Papers');
    expect(github.requests.length).toBe(asked);
  });

  it('reads the source again when its cache entry is damaged', async () => {
    const redis = new Redis(REDIS_URL);
    const prefix = `tskills${randomUUID().slice(0, 8)}`;
    try {
      const key = `${prefix}:cache:skills:v1:source:github:acme/skills`;
      await redis.set(key, JSON.stringify({ skills: 3 }), 'EX', 60);
      const skills = catalog(['github:acme/skills'], {
        services: {
          github: { url: github.url },
          hub: harness.services.hub,
          cache: new ToolCache(redis, prefix, log.logger),
          logger: log.logger,
        },
      });
      expect((await skills.load()).map((skill) => skill.name)).toEqual(['gh-papers', 'gh-trainer']);
      expect(github.requests.some((request) => request.path.includes('/git/trees/'))).toBe(true);
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('logs and skips an unreachable source while the others load, and leaves it alone for a while', async () => {
    const closed = await freePort();
    const skills = new SkillCatalog({
      sources: ['github:acme/unreachable', 'team', 'github:acme/skills'],
      services: {
        github: { url: github.url },
        hub: harness.services.hub,
        cache: harness.services.cache,
        logger: log.logger,
      },
      projectRoot: folder,
    });
    // The unreachable repository on a closed port: its own catalog shares the rest.
    const unreachable = new SkillCatalog({
      sources: ['github:acme/skills', 'team'],
      services: {
        github: { url: `http://127.0.0.1:${closed}` },
        hub: harness.services.hub,
        cache: harness.services.cache,
        logger: log.logger,
      },
      projectRoot: folder,
    });
    const report = await unreachable.report();
    expect(report.skills.map((skill) => skill.name)).toEqual(['team-eval']);
    expect(report.failedSources).toEqual([
      {
        source: 'github:acme/skills',
        reason: expect.stringMatching(
          /^Could not reach GitHub for the file tree of acme\/skills \(.*ECONNREFUSED.*\); check GITHUB_API_URL/,
        ) as unknown,
      },
    ]);
    const line = log.lines.find((entry) => entry.msg === 'skill source unreachable; skipped');
    expect(line).toMatchObject({
      source: 'github:acme/skills',
      reason: expect.stringMatching(/ECONNREFUSED/) as unknown,
    });
    // Not retried on every turn: the next load reuses the failure.
    const logged = log.lines.length;
    await unreachable.load();
    expect(log.lines.filter((entry) => entry.msg === 'skill source unreachable; skipped')).toHaveLength(1);
    expect(log.lines.length).toBe(logged);

    // A repository GitHub does not have is skipped the same way, with a 404 that says what to check.
    const missing = await skills.report();
    expect(missing.skills.map((skill) => skill.name)).toEqual(['team-eval', 'gh-papers', 'gh-trainer']);
    expect(missing.failedSources).toEqual([
      {
        source: 'github:acme/unreachable',
        reason: expect.stringMatching(
          /^Not found on GitHub: the file tree of acme\/unreachable \(404\)\. Check the owner/,
        ) as unknown,
      },
    ]);
  });

  it('gives up on a source that hangs at its deadline, and on one rate limited, without failing the load', async () => {
    const hung = await startLoopback([
      { method: 'GET', path: '/repos/:o/:r/git/trees/:sha', handle: () => ({ hang: true }) },
    ]);
    try {
      const skills = new SkillCatalog({
        sources: ['github:acme/skills', 'team'],
        services: {
          github: { url: hung.url },
          hub: harness.services.hub,
          cache: harness.services.cache,
          logger: log.logger,
        },
        projectRoot: folder,
        sourceTimeoutMs: 300,
      });
      const started = Date.now();
      const report = await skills.report();
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(report.skills.map((skill) => skill.name)).toEqual(['team-eval']);
      expect(report.failedSources[0]?.reason).toBe('no answer within 0.3 s');
    } finally {
      await hung.close();
    }

    world.rateLimited = true;
    const limited = await catalog(['github:acme/skills']).report();
    expect(limited.skills).toEqual([]);
    expect(limited.failedSources[0]?.reason).toMatch(
      /^GitHub refused the file tree of acme\/skills \(403: API rate limit exceeded.*\)\. Anonymous calls are limited to 60 an hour: set GITHUB_TOKEN/,
    );
  });

  it('sends GITHUB_TOKEN to the GitHub API', async () => {
    const token = 'ghp_skillsTestToken0123456789abcdefghij';
    await catalog(['github:acme/skills'], {
      services: {
        github: { url: github.url, token },
        hub: harness.services.hub,
        cache: harness.services.cache,
        logger: log.logger,
      },
    }).load();
    expect(github.requests.length).toBeGreaterThan(0);
    expect(github.requests.every((request) => request.token === token)).toBe(true);
    expect(github.requests.every((request) => request.headers['user-agent']?.includes('ml-intern-bot'))).toBe(
      true,
    );
  });

  it('logs a bad source string once and skips it', async () => {
    const skills = catalog(['gitlab:acme/skills', 'team']);
    const report = await skills.report();
    await skills.load();
    expect(report.skills.map((skill) => skill.name)).toEqual(['team-eval']);
    expect(report.failedSources).toEqual([
      { source: 'gitlab:acme/skills', reason: expect.stringMatching(/unknown kind "gitlab:"/) as unknown },
    ]);
    expect(log.lines.filter((line) => line.msg === 'skill source skipped')).toHaveLength(1);
  });

  it('keeps the first skill of a name and skips a later one from another source', async () => {
    await mkdir(join(folder, 'other', 'gh-papers'), { recursive: true });
    await writeFile(
      join(folder, 'other', 'gh-papers', 'SKILL.md'),
      skillMd('gh-papers', 'Local copy.', '# Local'),
    );
    const report = await catalog(['github:acme/skills', 'other']).report();
    expect(report.skills.map((skill) => [skill.name, skill.source])).toEqual([
      ['gh-papers', 'github:acme/skills'],
      ['gh-trainer', 'github:acme/skills'],
    ]);
    expect(report.rejected.at(-1)).toEqual({
      source: 'other',
      dir: 'gh-papers',
      reason: 'a skill named "gh-papers" already came from github:acme/skills',
    });
  });

  it('loads skills from a Hub repository (hf:owner/repo/path) and reads one of their files', async () => {
    const hub = await startLoopback(
      hubSkillsRoutes({
        'README.md': '# Hub skills\n',
        'skills/hub-datasets/SKILL.md': skillMd('hub-datasets', 'Build datasets on the Hub.', '# Datasets'),
        'skills/hub-datasets/references/formats.md': 'Parquet and JSONL.\n',
        'skills/Hub_Bad/SKILL.md': skillMd('Hub_Bad', 'Bad name.', 'x'),
      }),
    );
    try {
      const skills = new SkillCatalog({
        sources: ['hf:acme/hub-skills/skills'],
        services: {
          github: { url: github.url },
          hub: { url: hub.url },
          cache: harness.services.cache,
          logger: log.logger,
        },
        projectRoot: folder,
      });
      const report = await skills.report();
      expect(report.skills.map((skill) => [skill.name, skill.dir, skill.files])).toEqual([
        ['hub-datasets', 'hub-datasets', ['references/formats.md']],
      ]);
      expect(report.rejected.map((rejected) => rejected.dir)).toEqual(['Hub_Bad']);
      expect(hub.requests[0]?.path).toBe('/api/models/acme/hub-skills/tree/main/skills');
      expect(hub.requests[0]?.query.get('recursive')).toBe('true');
      const file = await harness.run(skills.tool(), { name: 'hub-datasets', file: 'references/formats.md' });
      expect(file.output).toBe('## hub-datasets/references/formats.md\n\nParquet and JSONL.\n');
    } finally {
      await hub.close();
    }
  });

  it('doctor: one line with the skills loaded and what was skipped, or - when none are configured', async () => {
    const env = readEnvironment({ GITHUB_API_URL: github.url });
    const settings = (skills: string[]) => ({ config: { skills }, environment: env, root: folder });

    const [loaded] = await skillsCheck(
      settings(['team', 'github:acme/skills', 'github:acme/gone']),
      5_000,
    ).run(new AbortController().signal);
    expect(formatResult(loaded!)).toMatch(
      /^✓ skills: 3 loaded \(team-eval, gh-papers, gh-trainer\); source github:acme\/gone skipped: Not found on GitHub: .*; 5 skills skipped \(Bad_Name: .*; and 4 more\)$/,
    );
    const [none] = await skillsCheck(settings([]), 5_000).run(new AbortController().signal);
    expect(formatResult(none!)).toBe('- skills: none configured (config "skills" is empty)');
  });
});
