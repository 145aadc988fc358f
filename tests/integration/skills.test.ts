import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { skillsCheck } from '../../src/cli/doctor/skills-check.js';
import { formatResult } from '../../src/cli/doctor/check.js';
import { readEnvironment } from '../../src/config/environment.js';
import { freePort } from '../../src/cli/free-port.js';
import { SkillCatalog, type SkillCatalogOptions } from '../../src/skills/skill-catalog.js';
import { SKILL_RESULT_CHARS } from '../../src/skills/load-skill-tool.js';
import { ToolCache } from '../../src/tools/shared/tool-cache.js';
import { gitHubSkillsRoutes, type GitHubSkillsWorld } from '../fakes/github-skills-routes.js';
import { startLoopback, type Loopback, type LoopbackAnswer, type Route } from '../fakes/loopback-http.js';
import { capturedLogger, type CapturedLogger } from '../helpers/captured-logger.js';
import { REDIS_URL } from '../helpers/test-app.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

const skillMd = (name: string, description: string, body: string): string =>
  `---\nname: ${name}\ndescription: ${description}\n---\n\n${body}\n`;

/** A team's folder: one valid skill with files, and one of each way to break the rules. */
async function writeLocalSkills(root: string): Promise<void> {
  const files: Record<string, string | Buffer> = {
    'team-eval/SKILL.md': skillMd(
      'team-eval',
      'Evaluate a model on the team benchmark. Use when asked to score a checkpoint.',
      '# Team eval\n\nRun `scripts/run_eval.py` and read `references/metrics.md`.',
    ),
    'team-eval/references/metrics.md': '# Metrics\n\nAccuracy and F1, macro-averaged.\n',
    'team-eval/scripts/run_eval.py': 'print("eval")\n',
    'team-eval/assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
    'Bad_Name/SKILL.md': skillMd('Bad_Name', 'Breaks the name rule.', 'x'),
    'wrong-folder/SKILL.md': skillMd('other-name', 'Its name is not its folder.', 'x'),
    'long-description/SKILL.md': skillMd('long-description', 'd'.repeat(1_100), 'x'),
    'no-front-matter/SKILL.md': '# No front matter here\n',
    'secret.txt': 'not part of any skill\n',
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  // A link out of the skill's folder is never listed, so never read.
  await symlink(join(root, 'secret.txt'), join(root, 'team-eval/references/leak.md'));
}

function gitHubWorld(): GitHubSkillsWorld {
  return {
    repos: {
      'acme/skills': {
        defaultBranch: 'main',
        refs: {
          main: {
            'README.md': '# Skills\n',
            'skills/gh-trainer/SKILL.md': skillMd(
              'gh-trainer',
              '>-\n  Fine-tune a model with TRL on Jobs.\n  Use for SFT, DPO and GRPO.',
              '# Trainer\n\nSee `references/methods.md`.',
            ),
            'skills/gh-trainer/references/methods.md': '# Methods\n\nSFT, DPO, GRPO.\n',
            'skills/GH-Broken/SKILL.md': skillMd('GH-Broken', 'Upper case name.', 'x'),
            'skills/gh-papers/SKILL.md': skillMd('gh-papers', 'Find and read papers.', '# Papers'),
          },
          v2: {
            'skills/gh-trainer/SKILL.md': skillMd('gh-trainer', 'Version two.', '# Trainer v2'),
          },
        },
      },
    },
  };
}

/**
 * The two Hub calls an `hf:` source makes, with the Hub's shapes (huggingface.js packages/hub
 * list-files.ts and file-download-info.ts): `GET /api/models/{id}/tree/{rev}[/{path}]?recursive=true`
 * answers `[{type: "file"|"directory", oid, size, path}]`; `GET /{id}/resolve/{rev}/{path}` answers
 * the file, 206 with `Content-Range: bytes 0-0/{size}` and an `ETag` to the library's one-byte probe;
 * a missing file is 404 with `X-Error-Code: EntryNotFound`. Kept here (not a route module) so that it
 * never competes with the Hub fake of the repo tools.
 */
function hubSkillsRoutes(files: Record<string, string>): Route[] {
  const entries = Object.entries(files).map(([path, content]) => ({
    type: 'file',
    oid: createHash('sha1').update(content).digest('hex'),
    size: Buffer.byteLength(content),
    path,
  }));
  return [
    {
      method: 'GET',
      path: /^\/api\/models\/acme\/hub-skills\/tree\/main(?:\/(?<path>.+))?$/,
      handle: (req) => {
        const prefix = req.params.path ? `${req.params.path}/` : '';
        const inside = entries.filter((entry) => entry.path.startsWith(prefix));
        const dirs = [
          ...new Set(
            inside.flatMap((entry) =>
              entry.path
                .split('/')
                .slice(0, -1)
                .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
            ),
          ),
        ];
        const listed =
          req.query.get('recursive') === 'true'
            ? inside
            : inside.filter((entry) => !entry.path.slice(prefix.length).includes('/'));
        return {
          body: [
            ...dirs.map((path) => ({ type: 'directory', oid: 'd'.repeat(40), size: 0, path })),
            ...listed,
          ],
        };
      },
    },
    {
      method: 'GET',
      path: '/acme/hub-skills/resolve/main/:path*',
      handle: (req): LoopbackAnswer => {
        const content = files[req.params.path ?? ''];
        if (content === undefined) {
          return { status: 404, body: 'Entry not found', headers: { 'x-error-code': 'EntryNotFound' } };
        }
        const bytes = Buffer.from(content, 'utf8');
        const etag = `"${createHash('sha1').update(content).digest('hex')}"`;
        if (req.headers.range === 'bytes=0-0') {
          return {
            status: 206,
            body: bytes.subarray(0, 1),
            headers: { 'content-range': `bytes 0-0/${bytes.length}`, etag },
          };
        }
        return { body: bytes, headers: { etag } };
      },
    },
  ];
}

describe('Agent Skills: sources, the prompt section and load_skill', () => {
  let folder: string;
  let github: Loopback;
  let world: GitHubSkillsWorld;
  let harness: ToolHarness;
  let log: CapturedLogger;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mlib-skills-'));
    await writeLocalSkills(join(folder, 'team'));
    world = gitHubWorld();
    github = await startLoopback(gitHubSkillsRoutes(world));
    harness = toolHarness({ github: { url: github.url } });
    log = capturedLogger();
  });

  afterEach(async () => {
    await github.close();
    await harness.close();
    await rm(folder, { recursive: true, force: true });
  });

  const catalog = (sources: string[], extra: Partial<SkillCatalogOptions> = {}): SkillCatalog =>
    new SkillCatalog({
      sources,
      services: {
        github: { url: github.url },
        hub: harness.services.hub,
        cache: harness.services.cache,
        logger: log.logger,
      },
      projectRoot: folder,
      ...extra,
    });

  const skipped = (): Array<{ skill?: unknown; reason?: unknown }> =>
    log.lines.filter((line) => line.msg === 'skill skipped') as Array<{ skill?: unknown; reason?: unknown }>;

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
