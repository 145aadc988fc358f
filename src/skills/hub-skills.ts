import { downloadFile, listFiles, type RepoDesignation } from '@huggingface/hub';
import { hubServiceError } from '../tools/shared/hub-errors.js';
import { ServiceError } from '../tools/shared/service-error.js';
import { MAX_SKILL_FILE_BYTES, type SkillFolder, type SkillSourceReader } from './skill.js';
import { findSkillFolders, joinPath } from './skill-folders.js';
import type { SkillSource } from './skill-source.js';
import { readSkillFolders } from './read-skill-folders.js';

type HubSource = Extract<SkillSource, { kind: 'hub' }>;

/**
 * Skills in a Hugging Face Hub repository (a model repo unless `hf:datasets/…` or `hf:spaces/…`):
 * one recursive `listFiles` (`GET /api/{type}s/{id}/tree/{revision}/{path}?recursive=true`) finds
 * every `SKILL.md`, then `downloadFile` reads each; other files are fetched when `load_skill` asks.
 */
export class HubSkillReader implements SkillSourceReader {
  private readonly repo: RepoDesignation;

  constructor(
    private readonly source: HubSource,
    private readonly endpoint: { url: string; token?: string | undefined },
  ) {
    this.repo = { type: source.repoType, name: source.repoId };
  }

  async list(signal: AbortSignal): Promise<SkillFolder[]> {
    const { path, repoId } = this.source;
    const files: string[] = [];
    try {
      for await (const entry of listFiles({
        repo: this.repo,
        recursive: true,
        ...(path ? { path } : {}),
        ...this.common(signal),
      })) {
        if (entry.type === 'file') files.push(entry.path);
      }
    } catch (err) {
      throw this.failure(err, `the files of ${this.shown()}`, signal);
    }
    const prefix = path === '' ? '' : `${path}/`;
    const relative = files.filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length));
    const rootName = path === '' ? (repoId.split('/').pop() ?? repoId) : (path.split('/').pop() ?? path);
    return readSkillFolders(findSkillFolders(relative, rootName), (file, s) => this.read(file, s), signal);
  }

  async read(file: string, signal: AbortSignal): Promise<Buffer> {
    const fullPath = joinPath(this.source.path, file);
    const what = `${fullPath} in ${this.shown()}`;
    let blob: Blob | null;
    try {
      // Skill files are small text: the plain resolve URL, no Xet reconstruction.
      blob = await downloadFile({ repo: this.repo, path: fullPath, xet: false, ...this.common(signal) });
    } catch (err) {
      throw this.failure(err, what, signal);
    }
    if (blob === null) throw new ServiceError(`The Hub has no ${what}.`, { status: 404 });
    if (blob.size > MAX_SKILL_FILE_BYTES) {
      throw new ServiceError(`${what} is too large to read (${blob.size} bytes).`);
    }
    try {
      return Buffer.from(await blob.arrayBuffer());
    } catch (err) {
      throw this.failure(err, what, signal);
    }
  }

  /** The endpoint, the token and a fetch bound to `signal` (the library takes no signal of its own). */
  private common(signal: AbortSignal): {
    hubUrl: string;
    accessToken?: string;
    revision?: string;
    fetch: typeof fetch;
  } {
    return {
      hubUrl: this.endpoint.url.replace(/\/+$/, ''),
      ...(this.endpoint.token ? { accessToken: this.endpoint.token } : {}),
      ...(this.source.revision ? { revision: this.source.revision } : {}),
      fetch: (input, init) => fetch(input, { ...init, signal }),
    };
  }

  private failure(err: unknown, what: string, signal: AbortSignal): ServiceError {
    if (signal.aborted) {
      return new ServiceError(`The Hub did not answer in time for ${what}; try again later.`, { cause: err });
    }
    return hubServiceError(err, what);
  }

  private shown(): string {
    const { repoType, repoId, revision } = this.source;
    const typed = repoType === 'model' ? repoId : `${repoType}s/${repoId}`;
    return `${typed}${revision ? `@${revision}` : ''}`;
  }
}
