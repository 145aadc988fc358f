import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A dedicated-mode `sbx-server` on loopback, speaking the protocol of huggingface/sandbox-server
 * (`src/main.rs` routes and auth, `src/exec.rs` events and processes, `src/files.rs` files) as
 * `huggingface_hub`'s `_sandbox.py` calls it:
 * - `GET /health` → `{"status": "ok"}` without auth;
 * - everything else needs `X-Sandbox-Token` = HMAC-SHA256(HF token, "hf-sandbox:" + nonce) (403
 *   `{"error": "invalid or missing X-Sandbox-Token"}`); the jobs proxy's `Authorization: Bearer
 *   <HF token>` is checked too (401), as the proxy in front of the real server does;
 * - `POST /v1/exec {cmd, shell?, cwd?, env?, timeout?}` → NDJSON `start {pid}`, `stdout`/`stderr
 *   {data}`, `ping`, `exit {exit_code, signal, timed_out, duration_ms}`; the command really runs
 *   (`/bin/sh -c` for a string) in its own process group, killed at `timeout`;
 * - `POST|GET /v1/processes`, `DELETE /v1/processes/{id}` (kills the group);
 * - `GET /v1/files/read|stat`, `PUT /v1/files/write?path=&offset=&mode=`, `POST /v1/files/mkdir`.
 * Sandbox paths are absolute; they live under a private temp folder (`/workspace/a` is
 * `<root>/workspace/a`), and commands run with their `cwd` mapped the same way.
 */
export interface FakeSandboxServer {
  readonly url: string;
  readonly root: string;
  /** Every request, in order (method, path, headers). */
  readonly requests: Array<{
    method: string;
    path: string;
    query: URLSearchParams;
    headers: IncomingMessage['headers'];
  }>;
  /** The exec request bodies, in order. */
  readonly execs: Array<Record<string, unknown>>;
  /** The pids of foreground commands started. */
  readonly pids: number[];
  /** The token `X-Sandbox-Token` must be (set once the job's nonce is known). */
  expectToken(hfToken: string, nonce: string): void;
  /** Knobs: `/health` answers 503 this many times first; exec streams break or carry a bad line. */
  knobs: { unhealthyFor: number; cutAfterStdout?: number; malformedLine?: boolean };
  close(): Promise<void>;
}

export async function startFakeSandboxServer(): Promise<FakeSandboxServer> {
  const root = mkdtempSync(path.join(tmpdir(), 'mlib-fake-sbx-'));
  mkdirSync(path.join(root, 'workspace'), { recursive: true });
  let expected: { hf: string; sandbox: string } | undefined;
  const requests: FakeSandboxServer['requests'] = [];
  const execs: Array<Record<string, unknown>> = [];
  const pids: number[] = [];
  const children = new Set<ChildProcess>();
  const processes = new Map<
    string,
    { pid: number; cmd: unknown; running: boolean; exitCode: number | null; tag: unknown }
  >();
  let seq = 0;
  const knobs: FakeSandboxServer['knobs'] = { unhealthyFor: 0 };
  const local = (p: string): string => path.join(root, path.posix.resolve('/', p));

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const error = (res: ServerResponse, status: number, message: string): void =>
    json(res, status, { error: message });

  const spawnCommand = (spec: Record<string, unknown>): ChildProcess => {
    const cmd = spec.cmd;
    const argv = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : (cmd as string[]);
    const cwd = typeof spec.cwd === 'string' ? local(spec.cwd) : path.join(root, 'workspace');
    // Like the real server: the sandbox's own environment (no worker secrets), plus the request's.
    const env = {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: path.join(root, 'workspace'),
      ...(spec.env as Record<string, string> | undefined),
    };
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    child.on('close', () => children.delete(child));
    return child;
  };

  const exec = (req: IncomingMessage, res: ServerResponse, spec: Record<string, unknown>): void => {
    execs.push(spec);
    let child: ChildProcess;
    try {
      child = spawnCommand(spec);
    } catch (err) {
      error(res, 400, `failed to spawn: ${String(err)}`);
      return;
    }
    const started = Date.now();
    let timedOut = false;
    const timer =
      typeof spec.timeout === 'number'
        ? setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // gone
            }
          }, spec.timeout * 1000)
        : undefined;
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' });
    const line = (event: unknown): void => {
      res.write(`${JSON.stringify(event)}\n`);
    };
    pids.push(child.pid!);
    line({ event: 'start', pid: child.pid });
    if (knobs.malformedLine) res.write('{"event": "stdout", "data": \n');
    let sent = 0;
    const onData = (kind: 'stdout' | 'stderr') => (data: Buffer) => {
      if (knobs.cutAfterStdout !== undefined && sent >= knobs.cutAfterStdout) return;
      line({ event: kind, data: data.toString('utf8') });
      sent += 1;
      // Cut once the line has gone out, as a proxy dropping the connection mid-stream would.
      if (knobs.cutAfterStdout !== undefined && sent >= knobs.cutAfterStdout)
        setTimeout(() => res.socket?.destroy(), 100);
    };
    child.stdout!.on('data', onData('stdout'));
    child.stderr!.on('data', onData('stderr'));
    const ping = setInterval(() => line({ event: 'ping' }), 1_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(ping);
      if (res.destroyed) return;
      line({
        event: 'exit',
        exit_code: code,
        signal: signal === null ? null : signal === 'SIGKILL' ? 9 : 15,
        timed_out: timedOut,
        duration_ms: Date.now() - started,
      });
      res.end();
    });
    req.on('close', () => clearInterval(ping));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
      });
      const parts: Buffer[] = [];
      for await (const part of req) parts.push(part as Buffer);
      const body = Buffer.concat(parts);
      if (req.method === 'GET' && url.pathname === '/health') {
        if (knobs.unhealthyFor > 0) {
          knobs.unhealthyFor -= 1;
          return error(res, 503, 'starting');
        }
        return json(res, 200, { status: 'ok' });
      }
      if (!expected || req.headers.authorization !== `Bearer ${expected.hf}`)
        return error(res, 401, 'Unauthorized');
      if (req.headers['x-sandbox-token'] !== expected.sandbox)
        return error(res, 403, 'invalid or missing X-Sandbox-Token');
      const target = url.searchParams.get('path');
      const route = `${req.method} ${url.pathname}`;
      const spec = () => JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      switch (route) {
        case 'POST /v1/exec':
          return exec(req, res, spec());
        case 'POST /v1/processes': {
          const s = spec();
          const child = spawnCommand(s);
          const id = `p-${seq++}`;
          const entry = {
            pid: child.pid!,
            cmd: s.cmd,
            running: true,
            exitCode: null as number | null,
            tag: s.tag ?? null,
          };
          processes.set(id, entry);
          child.on('close', (code) => {
            entry.running = false;
            entry.exitCode = code;
          });
          return json(res, 200, { id, pid: child.pid, cmd: s.cmd, tag: s.tag ?? null });
        }
        case 'GET /v1/processes':
          return json(
            res,
            200,
            [...processes].map(([id, p]) => ({
              id,
              pid: p.pid,
              cmd: p.cmd,
              tag: p.tag,
              running: p.running,
              exit_code: p.exitCode,
            })),
          );
        case 'GET /v1/files/stat': {
          if (!target) return error(res, 400, "missing 'path' query parameter");
          const info = await stat(local(target)).catch(() => undefined);
          if (!info) return error(res, 404, `no such path: ${target}`);
          return json(res, 200, {
            name: path.posix.basename(target),
            path: target,
            type: info.isDirectory() ? 'dir' : 'file',
            size: info.size,
            mtime_ms: Math.round(info.mtimeMs),
            mode: (info.mode & 0o7777).toString(8),
          });
        }
        case 'GET /v1/files/read': {
          if (!target) return error(res, 400, "missing 'path' query parameter");
          const info = await stat(local(target)).catch(() => undefined);
          if (!info) return error(res, 404, `no such file: ${target}`);
          if (info.isDirectory()) return error(res, 409, `is a directory: ${target}`);
          const data = await readFile(local(target));
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
          return res.end(data);
        }
        case 'PUT /v1/files/write': {
          if (!target) return error(res, 400, "missing 'path' query parameter");
          if (req.headers['transfer-encoding'])
            return error(res, 411, 'chunked request bodies not supported; send Content-Length');
          const file = local(target);
          await mkdir(path.dirname(file), { recursive: true });
          const offset = url.searchParams.get('offset');
          if (offset === null) await writeFile(file, body);
          else {
            const handle = await open(file, 'a+').then(async (h) => {
              await h.close();
              return open(file, 'r+');
            });
            await handle.write(body, 0, body.length, Number(offset));
            await handle.close();
          }
          const mode = url.searchParams.get('mode');
          if (mode) await chmod(file, parseInt(mode, 8));
          return json(res, 200, { path: target, size: body.length });
        }
        case 'POST /v1/files/mkdir':
          if (!target) return error(res, 400, "missing 'path' query parameter");
          await mkdir(local(target), { recursive: true });
          return json(res, 200, { created: target });
        default: {
          const kill = /^DELETE \/v1\/processes\/(.+)$/.exec(route);
          if (kill) {
            const p = processes.get(kill[1]!);
            processes.delete(kill[1]!);
            if (p?.running) {
              try {
                process.kill(-p.pid, 'SIGKILL');
              } catch {
                // gone
              }
            }
            return json(res, 200, { id: kill[1], ok: true });
          }
          return error(res, 404, `no route: ${route}`);
        }
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) error(res, 500, String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    root,
    requests,
    execs,
    pids,
    knobs,
    expectToken(hf, nonce) {
      expected = { hf, sandbox: createHmac('sha256', hf).update(`hf-sandbox:${nonce}`).digest('hex') };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const child of children) {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // gone
          }
        }
        server.closeAllConnections();
        server.close(() => {
          rmSync(root, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
