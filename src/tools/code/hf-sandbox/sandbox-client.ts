import { SandboxError, sandboxHttpError } from './sandbox-errors.js';
import { ndjsonLines, type NdjsonItem } from './ndjson-lines.js';

/** `GET /v1/files/stat`: a file or directory inside the sandbox (`entry_json` of sandbox-server). */
export interface SandboxEntry {
  name: string;
  path: string;
  type: 'file' | 'dir' | 'symlink';
  size: number;
  /** Permission bits in octal (`"755"`). */
  mode?: string;
}

/** A background process of `GET /v1/processes`. */
export interface SandboxProcess {
  id: string;
  pid: number;
  running: boolean;
  tag?: string | null;
  exit_code?: number | null;
}

/** The body of `POST /v1/exec` and `POST /v1/processes` (`ExecSpec::from_json`). */
export interface ExecRequest {
  cmd: string | string[];
  shell?: boolean;
  cwd?: string;
  env?: Record<string, string>;
  /** Seconds; the server kills the command's whole process group when it is reached. */
  timeout?: number;
  tag?: string;
}

/** Per-request deadline of the short calls (health, files, processes), as `_SandboxServer.request`. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * One sandbox server (`sbx-server`) behind the jobs proxy: every request carries
 * `Authorization: Bearer <HF token>` (the proxy's check) and `X-Sandbox-Token` (the server's), and
 * answers are read as `huggingface_hub`'s `_SandboxServer` reads them. Redirects are refused: a
 * followed one would carry both credentials elsewhere.
 */
export class SandboxClient {
  constructor(
    readonly baseUrl: string,
    private readonly hfToken: string,
    private readonly sandboxToken: string,
  ) {}

  /** `GET /health`: true when the server answers 200 (its body is not needed). */
  async healthy(signal: AbortSignal): Promise<boolean> {
    try {
      const response = await this.send('GET', '/health', { signal, timeoutMs: 5_000 });
      await response.body?.cancel();
      return response.status === 200;
    } catch (err) {
      if (signal.aborted) throw err;
      return false;
    }
  }

  /** `POST /v1/exec`: the command's NDJSON events (`start`, `stdout`, `stderr`, `ping`, `exit`). */
  async *exec(request: ExecRequest, signal: AbortSignal): AsyncGenerator<NdjsonItem> {
    const response = await this.checked('POST', '/v1/exec', 'the command', {
      json: request,
      signal,
      accept: 'application/x-ndjson',
    });
    if (!response.body) throw new SandboxError('sandbox_protocol', 'The sandbox sent no output stream.');
    yield* ndjsonLines(response.body);
  }

  /** `GET /v1/files/stat`, or undefined when nothing is at the path. */
  async stat(path: string, signal: AbortSignal): Promise<SandboxEntry | undefined> {
    const response = await this.send('GET', '/v1/files/stat', { params: { path }, signal });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    return (await this.json(response, `the stat of ${path}`)) as SandboxEntry;
  }

  /** `GET /v1/files/read`: the raw bytes. */
  async read(path: string, signal: AbortSignal): Promise<Buffer> {
    const response = await this.checked('GET', '/v1/files/read', `reading ${path}`, {
      params: { path },
      signal,
    });
    return Buffer.from(await response.arrayBuffer());
  }

  /** `PUT /v1/files/write` (parents created): the whole file, or a part at `offset` (no truncation). */
  async write(
    path: string,
    data: string | Uint8Array,
    signal: AbortSignal,
    options: { offset?: number; mode?: string } = {},
  ): Promise<void> {
    const params: Record<string, string> = { path };
    if (options.offset !== undefined) params.offset = String(options.offset);
    if (options.mode !== undefined) params.mode = options.mode;
    const response = await this.checked('PUT', '/v1/files/write', `writing ${path}`, {
      params,
      body: data,
      signal,
    });
    await response.body?.cancel();
  }

  /** `POST /v1/files/mkdir` (parents too). */
  async mkdir(path: string, signal: AbortSignal): Promise<void> {
    const response = await this.checked('POST', '/v1/files/mkdir', `creating ${path}`, {
      params: { path },
      signal,
    });
    await response.body?.cancel();
  }

  /** `POST /v1/processes`: starts a background process; answers its opaque id at once. */
  async startProcess(request: ExecRequest, signal: AbortSignal): Promise<{ id: string; pid: number }> {
    const response = await this.checked('POST', '/v1/processes', 'starting a process', {
      json: request,
      signal,
    });
    return (await this.json(response, 'the started process')) as { id: string; pid: number };
  }

  /** `GET /v1/processes`. */
  async processes(signal: AbortSignal): Promise<SandboxProcess[]> {
    const response = await this.checked('GET', '/v1/processes', 'the process list', { signal });
    const list = await this.json(response, 'the process list');
    return Array.isArray(list) ? (list as SandboxProcess[]) : [];
  }

  /** `DELETE /v1/processes/{id}`: kills its process group (idempotent on the server). */
  async killProcess(id: string, signal: AbortSignal): Promise<void> {
    const response = await this.checked('DELETE', `/v1/processes/${encodeURIComponent(id)}`, 'a kill', {
      signal,
    });
    await response.body?.cancel();
  }

  private async checked(
    method: string,
    path: string,
    what: string,
    options: RequestOptions,
  ): Promise<Response> {
    const response = await this.send(method, path, options);
    if (response.status < 400) return response;
    throw sandboxHttpError(response.status, what, this.scrub(await errorText(response)));
  }

  private async json(response: Response, what: string): Promise<unknown> {
    if (response.status >= 400) {
      throw sandboxHttpError(response.status, what, this.scrub(await errorText(response)));
    }
    try {
      const value: unknown = await response.json();
      return value;
    } catch {
      throw new SandboxError(
        'sandbox_protocol',
        `The sandbox sent an answer that could not be read for ${what}.`,
      );
    }
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(options.params ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.hfToken}`,
      'x-sandbox-token': this.sandboxToken,
    };
    if (options.accept) headers.accept = options.accept;
    let body: string | Uint8Array | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      body = options.body;
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS);
    // A stream lives as long as its command: only the caller's signal ends it.
    const signal =
      options.accept === 'application/x-ndjson' ? options.signal : AbortSignal.any([options.signal, timeout]);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal,
        redirect: 'manual',
      });
    } catch (err) {
      if (options.signal.aborted) throw err;
      const why = timeout.aborted ? 'did not answer in time' : 'could not be reached';
      throw new SandboxError('sandbox_unreachable', `The sandbox ${why} (${method} ${path}).`);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new SandboxError(
        'sandbox_protocol',
        `The sandbox answered a redirect (${response.status}); not followed.`,
      );
    }
    return response;
  }

  /** Server text with the credentials cut out (a proxy may echo a header). */
  private scrub(text: string): string {
    return text.split(this.hfToken).join('[HF_TOKEN]').split(this.sandboxToken).join('[SANDBOX_TOKEN]');
  }
}

interface RequestOptions {
  params?: Record<string, string>;
  json?: unknown;
  body?: string | Uint8Array;
  signal: AbortSignal;
  accept?: string;
  timeoutMs?: number;
}

/** The server's `{"error": "..."}` (`_raise_for_status`), else the start of the body. */
async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error.slice(0, 300);
  } catch {
    // Not JSON: the raw text below.
  }
  return text.slice(0, 300);
}
