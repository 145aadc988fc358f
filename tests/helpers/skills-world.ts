/**
 * The Agent Skills world of the skills tests: a team folder with one valid skill and one of each
 * way to break the rules, a GitHub and a Hub that serve skills, and a catalog over them. Call
 * {@link useSkillsWorld} at the top of a test file; the bindings below are live (ESM), so a test
 * reads the current folder, fakes and log through them.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { SkillCatalog, type SkillCatalogOptions } from '../../src/skills/skill-catalog.js';
import { gitHubSkillsRoutes, type GitHubSkillsWorld } from '../fakes/github-skills-routes.js';
import { startLoopback, type Loopback, type LoopbackAnswer, type Route } from '../fakes/loopback-http.js';
import { capturedLogger, type CapturedLogger } from './captured-logger.js';
import { toolHarness, type ToolHarness } from './tool-harness.js';

export const skillMd = (name: string, description: string, body: string): string =>
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
export function hubSkillsRoutes(files: Record<string, string>): Route[] {
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

export let folder: string;
export let github: Loopback;
export let world: GitHubSkillsWorld;
export let harness: ToolHarness;
export let log: CapturedLogger;

export const catalog = (sources: string[], extra: Partial<SkillCatalogOptions> = {}): SkillCatalog =>
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

export const skipped = (): Array<{ skill?: unknown; reason?: unknown }> =>
  log.lines.filter((line) => line.msg === 'skill skipped') as Array<{ skill?: unknown; reason?: unknown }>;

/** A fresh folder, GitHub fake, harness and log before each test of the file; all gone after. */
export function useSkillsWorld(): void {
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
}
