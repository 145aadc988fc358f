import { createHmac, randomBytes } from 'node:crypto';

/**
 * The wire contract of a dedicated Hugging Face Sandbox, as `huggingface_hub`'s `_sandbox.py`
 * (`Sandbox.create`, `_bootstrap_job_spec`, `_derive_sandbox_token`, `_find_server_url`) and
 * `huggingface/sandbox-server` (the `sbx-server` binary the job runs) define it. Pure values and
 * functions: what the job is launched with, and how its server is found and authenticated.
 */

/** The port `sbx-server` listens on inside the job (deliberately uncommon). */
export const SANDBOX_PORT = 49983;
export const SANDBOX_LABEL = 'hf-sandbox';
export const MODE_LABEL = 'hf-sandbox-mode';
export const MODE_DEDICATED = 'dedicated';
export const NONCE_LABEL = 'hf-sandbox-nonce';
/** Ours: the session a sandbox belongs to, so a launch whose answer was lost can be found again. */
export const SESSION_LABEL = 'mlib-sandbox-session';
export const DEFAULT_SANDBOX_IMAGE = 'python:3.12';
/** The job's hard lifetime (`SANDBOX_MAX_LIFETIME`); idle timeouts end it long before. */
export const SANDBOX_MAX_LIFETIME_SECONDS = 24 * 3_600;
/** The public bucket holding the `sbx-server` binary, and where every job mounts it. */
export const SANDBOX_SERVER_BUCKET = 'huggingface/sbx-server';
export const SANDBOX_SERVER_MOUNT_PATH = '/.hf-sbx-server';

/**
 * The job's command (needs only /bin/sh), verbatim from `_BOOTSTRAP_DOWNLOAD`: download the server
 * (the bucket is public, so no HF credential is placed in the job), else copy it off the mount.
 */
export const BOOTSTRAP_SCRIPT = `set -e
d=/tmp/.sbx-server
if command -v wget >/dev/null 2>&1; then wget -q -O "$d" "$SBX_SERVER_URL"
elif command -v curl >/dev/null 2>&1; then curl -fsSL -o "$d" "$SBX_SERVER_URL"
else cp "$SBX_SERVER_MOUNT/sbx-server" "$d"; fi
chmod +x "$d"
unset SBX_SERVER_URL SBX_SERVER_MOUNT
exec "$d"
`;

/** A fresh public nonce (`token_hex(16)`): 32 hex digits, stored in the job's labels. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function isNonce(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);
}

/**
 * The per-sandbox token: hex HMAC-SHA256 keyed by the HF token over `hf-sandbox:<nonce>`. Any
 * worker holding the same HF token recomputes it from the job's labels; only this derived token
 * reaches the job (as a secret), never the HF token.
 */
export function deriveSandboxToken(hfToken: string, nonce: string): string {
  return createHmac('sha256', hfToken).update(`hf-sandbox:${nonce}`).digest('hex');
}

export interface SandboxLaunch {
  image: string;
  flavor: string;
  /** The server's own idle watchdog (`SBX_IDLE_TIMEOUT`), seconds. */
  idleTimeoutSeconds: number;
  nonce: string;
  sandboxToken: string;
  /** `HF_ENDPOINT`, where the server binary is downloaded from. */
  hubUrl: string;
  sessionId: string;
}

/**
 * The body of `POST /api/jobs/{namespace}` for a dedicated sandbox: `_create_job_spec` of what
 * `Sandbox.create` passes (`_bootstrap_job_spec`'s command, env, secrets and volume; the reserved
 * labels; port 49983 exposed through the jobs proxy; the 24 h lifetime).
 */
export function sandboxJobSpec(launch: SandboxLaunch): Record<string, unknown> {
  return {
    command: ['/bin/sh', '-c', BOOTSTRAP_SCRIPT],
    arguments: [],
    environment: {
      SBX_PORT: String(SANDBOX_PORT),
      SBX_IDLE_TIMEOUT: String(launch.idleTimeoutSeconds),
      SBX_SERVER_URL: `${launch.hubUrl.replace(/\/+$/, '')}/buckets/${SANDBOX_SERVER_BUCKET}/resolve/sbx-server`,
      SBX_SERVER_MOUNT: SANDBOX_SERVER_MOUNT_PATH,
    },
    flavor: launch.flavor,
    secrets: { SBX_TOKEN: launch.sandboxToken },
    timeoutSeconds: SANDBOX_MAX_LIFETIME_SECONDS,
    labels: {
      [SESSION_LABEL]: launch.sessionId,
      [SANDBOX_LABEL]: '1',
      [MODE_LABEL]: MODE_DEDICATED,
      [NONCE_LABEL]: launch.nonce,
    },
    volumes: [
      {
        type: 'bucket',
        source: SANDBOX_SERVER_BUCKET,
        mountPath: SANDBOX_SERVER_MOUNT_PATH,
        readOnly: true,
      },
    ],
    expose: { ports: [SANDBOX_PORT] },
    dockerImage: launch.image,
  };
}

/**
 * The server's base URL among the job's `status.exposeUrls`: the one for port 49983
 * (`https://<job_id>--49983.hf.jobs`, as `_find_server_url` picks it), else the only URL the job
 * exposes (it exposes no other port). `undefined` while the Hub has not published one yet.
 */
export function findServerUrl(exposeUrls: readonly string[] | null | undefined): string | undefined {
  const urls = exposeUrls ?? [];
  const found =
    urls.find((url) => url.includes(`--${SANDBOX_PORT}.`)) ?? (urls.length === 1 ? urls[0] : undefined);
  return found?.replace(/\/+$/, '');
}
