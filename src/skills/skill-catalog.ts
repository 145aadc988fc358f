import type { Logger } from 'pino';
import { findProjectRoot } from '../config/project-root.js';
import type { AnyToolSpec } from '../core/tool-spec.js';
import type { ToolCache } from '../tools/shared/tool-cache.js';
import type { ServiceEndpoints } from '../tools/tool-services.js';
import { GitHubSkillReader } from './github-skills.js';
import { HubSkillReader } from './hub-skills.js';
import { LocalSkillReader } from './local-skills.js';
import { loadSkillTool, type SkillLibrary } from './load-skill-tool.js';
import type { RejectedSkill, Skill, SkillSourceReader, SourceListing } from './skill.js';
import { joinPath } from './skill-folders.js';
import { sourceListingSchema, toListing } from './skill-listing.js';
import { skillsPromptSection } from './skill-prompt.js';
import { parseSkillSource, type SkillSource } from './skill-source.js';

export interface SkillCatalogOptions {
  /** Config `skills`, in order: a name found twice keeps the first source's skill. */
  sources: readonly string[];
  services: Pick<ServiceEndpoints, 'github' | 'hub'> & {
    /** Remote sources' listings and fetched files; `doctor` passes one that never caches. */
    cache: Pick<ToolCache, 'getOrLoad'>;
    logger: Pick<Logger, 'info' | 'warn'>;
  };
  /** Where relative folders are found; the project root by default. */
  projectRoot?: string;
  /** Each source's deadline per load (default 5 s). */
  sourceTimeoutMs?: number;
  /** How long a remote source's listing (and a fetched file) stays in Redis (default 1 h). */
  cacheTtlSeconds?: number;
  /** How long this process reuses a loaded source before looking again (default 60 s). */
  reuseMs?: number;
  /** How long an unreachable source is left alone before it is tried again (default 5 min). */
  retryFailedMs?: number;
}

/** What a load found, for the log and `doctor`. */
export interface SkillLoadReport {
  skills: Skill[];
  /** Sources that could not be read (unreachable, missing, or not a source), with why. */
  failedSources: { source: string; reason: string }[];
  /** Folders with a `SKILL.md` that were not loaded, with why (broken rules, a name taken). */
  rejected: RejectedSkill[];
}

type Outcome = { ok: true; listing: SourceListing } | { ok: false; reason: string };

interface Entry {
  source: SkillSource | { kind: 'invalid'; text: string; reason: string };
  reader: SkillSourceReader | undefined;
  current?: { outcome: Promise<Outcome>; until: number };
}

const CACHE_VERSION = 'v1';
/** One file for `load_skill {file}`: the shared client's per-request deadline. */
const FILE_TIMEOUT_MS = 20_000;

/**
 * The skills of config `skills`: loads every source at once, each under its deadline, keeps remote
 * listings in Redis (shared by every worker) and reuses them in-process for a minute, so that a
 * turn's prompt costs no request. An unreachable source or an invalid skill is logged and skipped;
 * nothing here throws into a turn. Gives the prompt's "## Skills" section and `load_skill`.
 */
export class SkillCatalog implements SkillLibrary {
  private readonly entries: Entry[];
  private readonly timeoutMs: number;
  private readonly ttlSeconds: number;
  private readonly reuseMs: number;
  private readonly retryFailedMs: number;
  /** Rejections already logged, so a local folder re-read every minute does not repeat them. */
  private readonly logged = new Set<string>();
  private spec: AnyToolSpec | undefined;

  constructor(private readonly options: SkillCatalogOptions) {
    this.timeoutMs = options.sourceTimeoutMs ?? 5_000;
    this.ttlSeconds = options.cacheTtlSeconds ?? 3_600;
    this.reuseMs = options.reuseMs ?? 60_000;
    this.retryFailedMs = options.retryFailedMs ?? 300_000;
    const root = options.projectRoot;
    this.entries = options.sources.map((text) => {
      try {
        const source = parseSkillSource(text);
        return { source, reader: this.readerFor(source, root) };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return { source: { kind: 'invalid', text, reason }, reader: undefined };
      }
    });
  }

  /** Every valid skill of every reachable source. */
  async load(): Promise<Skill[]> {
    return (await this.report()).skills;
  }

  /** {@link load}, with what was skipped and why. */
  async report(): Promise<SkillLoadReport> {
    const outcomes = await Promise.all(this.entries.map((entry) => this.outcomeOf(entry)));
    const report: SkillLoadReport = { skills: [], failedSources: [], rejected: [] };
    const taken = new Map<string, string>();
    outcomes.forEach((outcome, index) => {
      const source = this.entries[index]?.source.text ?? '';
      if (!outcome.ok) {
        report.failedSources.push({ source, reason: outcome.reason });
        return;
      }
      report.rejected.push(...outcome.listing.rejected);
      for (const skill of outcome.listing.skills) {
        const first = taken.get(skill.name);
        if (first === undefined) {
          taken.set(skill.name, source);
          report.skills.push(skill);
        } else {
          const reason = `a skill named "${skill.name}" already came from ${first}`;
          report.rejected.push({ source, dir: skill.dir, reason });
          this.logOnce(`duplicate:${source}:${skill.dir}`, () =>
            this.options.services.logger.warn({ source, skill: skill.dir, reason }, 'skill skipped'),
          );
        }
      }
    });
    return report;
  }

  /** The system prompt's "## Skills" section, or `''` when there are no skills. */
  async promptSection(): Promise<string> {
    return skillsPromptSection(await this.load());
  }

  /** `load_skill {name, file?}` over this catalog (one spec, built once). */
  tool(): AnyToolSpec {
    this.spec ??= loadSkillTool(this);
    return this.spec;
  }

  async readFile(skill: Skill, file: string, signal: AbortSignal): Promise<string | { binaryBytes: number }> {
    const entry = this.entries.find((candidate) => candidate.source.text === skill.source);
    if (!entry?.reader) throw new Error(`skill ${skill.name}'s source ${skill.source} is not configured`);
    const reader = entry.reader;
    const path = joinPath(skill.dir, file);
    const read = async (): Promise<string | { binaryBytes: number }> => {
      // The turn's signal, and a deadline of its own: a hung service must not hold the turn.
      const bytes = await reader.read(path, AbortSignal.any([signal, AbortSignal.timeout(FILE_TIMEOUT_MS)]));
      return isBinary(bytes) ? { binaryBytes: bytes.length } : bytes.toString('utf8');
    };
    // A local file is read from disk each time: an edit shows at once.
    if (entry.source.kind === 'local') return read();
    const cached = await this.options.services.cache.getOrLoad(
      `skills:${CACHE_VERSION}:file:${skill.source}:${path}`,
      this.ttlSeconds,
      read,
    );
    const binaryBytes = (cached as { binaryBytes?: unknown } | null)?.binaryBytes;
    if (typeof cached === 'string') return cached;
    return typeof binaryBytes === 'number' ? { binaryBytes } : read();
  }

  private readerFor(source: SkillSource, root: string | undefined): SkillSourceReader {
    const { services } = this.options;
    switch (source.kind) {
      case 'github':
        return new GitHubSkillReader(source, services.github, services.logger);
      case 'hub':
        return new HubSkillReader(source, services.hub);
      case 'local':
        return new LocalSkillReader(source.path, root ?? findProjectRoot());
    }
  }

  /** The source's outcome: reused while fresh, else loaded again (one load at a time per source). */
  private outcomeOf(entry: Entry): Promise<Outcome> {
    if (entry.source.kind === 'invalid') {
      const reason = entry.source.reason;
      this.logOnce(`invalid:${entry.source.text}`, () =>
        this.options.services.logger.warn({ source: entry.source.text, reason }, 'skill source skipped'),
      );
      return Promise.resolve({ ok: false, reason });
    }
    const now = Date.now();
    if (entry.current && entry.current.until > now) return entry.current.outcome;
    const current = { outcome: this.loadSource(entry), until: Number.POSITIVE_INFINITY };
    entry.current = current;
    void current.outcome.then((outcome) => {
      current.until = Date.now() + (outcome.ok ? this.reuseMs : this.retryFailedMs);
    });
    return current.outcome;
  }

  private async loadSource(entry: Entry): Promise<Outcome> {
    const { source, reader } = entry;
    if (source.kind === 'invalid' || !reader) return { ok: false, reason: 'not a skill source' };
    const { logger, cache } = this.options.services;
    const list = async (): Promise<SourceListing> => {
      const listing = toListing(
        source.text,
        await withDeadline((signal) => reader.list(signal), this.timeoutMs),
      );
      for (const rejected of listing.rejected) {
        this.logOnce(`rejected:${source.text}:${rejected.dir}:${rejected.reason}`, () =>
          logger.warn({ source: source.text, skill: rejected.dir, reason: rejected.reason }, 'skill skipped'),
        );
      }
      logger.info(
        { source: source.text, skills: listing.skills.length, skipped: listing.rejected.length },
        'skill source loaded',
      );
      return listing;
    };
    try {
      if (source.kind === 'local') return { ok: true, listing: await list() };
      const cached = await cache.getOrLoad(
        `skills:${CACHE_VERSION}:source:${source.text}`,
        this.ttlSeconds,
        list,
      );
      const checked = sourceListingSchema.safeParse(cached);
      // A damaged or foreign cache entry: read the source again rather than trust it.
      return { ok: true, listing: checked.success ? checked.data : await list() };
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
      logger.warn({ source: source.text, reason }, 'skill source unreachable; skipped');
      return { ok: false, reason };
    }
  }

  private logOnce(key: string, log: () => void): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    log();
  }
}

/** Runs `work` with a signal that aborts after `ms`, and gives up then even if `work` ignores it. */
async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A NUL byte in the first 8 KB: what git itself takes for binary. */
function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8_000).includes(0);
}
