import { fail, skip, type Check, type CheckResult } from './check.js';

/** A credential check's service: what to name in the report and where its token comes from. */
export interface ServiceSpec {
  /** `Anthropic`, `Slack`, … */
  name: string;
  /** The variable holding the token (`SLACK_BOT_TOKEN`). */
  tokenVar: string;
  /** The variable holding the base URL (`SLACK_API_URL`) and its effective value. */
  urlVar: string;
  url: string;
  /** Where a valid token comes from, for the fix of a rejected one. */
  tokenHelp: string;
}

const NETWORK_CODES: Record<string, (url: string) => string> = {
  ECONNREFUSED: (url) => `connection refused at ${url}`,
  ENOTFOUND: (url) => `host of ${url} not found (DNS)`,
  EAI_AGAIN: (url) => `host of ${url} could not be resolved (DNS)`,
  ECONNRESET: (url) => `connection to ${url} reset`,
  EHOSTUNREACH: (url) => `host of ${url} unreachable`,
  ENETUNREACH: (url) => `network of ${url} unreachable`,
  ETIMEDOUT: (url) => `connection to ${url} timed out`,
  UND_ERR_CONNECT_TIMEOUT: (url) => `connection to ${url} timed out`,
};

/** The error, its `cause`s and the SDKs' wrapped originals (Slack's `original`), outermost first. */
function errorChain(err: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  let current: unknown = err;
  while (typeof current === 'object' && current !== null && chain.length < 8) {
    const record = current as Record<string, unknown>;
    chain.push(record);
    const errors = record.errors;
    current = record.cause ?? record.original ?? (Array.isArray(errors) ? (errors[0] as unknown) : undefined);
  }
  return chain;
}

/** The HTTP status an SDK error carries (`status` on Anthropic's and discord.js's, `statusCode` on Slack's). */
export function httpStatusOf(err: unknown): number | undefined {
  for (const link of errorChain(err)) {
    for (const field of ['status', 'statusCode']) {
      const value = link[field];
      if (typeof value === 'number' && value >= 100 && value < 600) return value;
    }
  }
  return undefined;
}

/** The socket-level code (ECONNREFUSED, …) somewhere in the chain. */
function networkCodeOf(err: unknown): string | undefined {
  for (const link of errorChain(err)) {
    const code = link.code;
    if (
      typeof code === 'string' &&
      (code in NETWORK_CODES || code.startsWith('CERT_') || code.includes('CERT'))
    )
      return code;
  }
  return undefined;
}

function isAbort(err: unknown): boolean {
  return errorChain(err).some((link) => link.name === 'AbortError' || link.name === 'TimeoutError');
}

/** A failure line for an HTTP status answered by the service. */
export function statusFailure(
  spec: ServiceSpec,
  status: number,
  said?: string,
  /** False when the service answers errors with HTTP 200 (Slack): then only `said` is shown. */
  showStatus = true,
): CheckResult {
  const answer = showStatus ? (said ? ` (${status}: ${said})` : ` (${status})`) : ` (${said ?? status})`;
  if (status === 401)
    return fail(
      spec.name,
      `${spec.tokenVar} rejected${answer}`,
      `the token is wrong, expired or revoked: ${spec.tokenHelp}`,
    );
  if (status === 403)
    return fail(
      spec.name,
      `${spec.tokenVar} refused${answer}`,
      `the token lacks a permission: ${spec.tokenHelp}`,
    );
  if (status === 404)
    return fail(
      spec.name,
      `${spec.url} answered 404${said ? `: ${said}` : ''}`,
      `${spec.urlVar} does not point at the ${spec.name} API; check it or unset it for the default`,
    );
  if (status === 429) return fail(spec.name, `rate limited${answer}`, 'wait a minute and run doctor again');
  if (status >= 500)
    return fail(spec.name, `${spec.name} answered${answer}`, 'the service has a problem; try again later');
  return fail(spec.name, `unexpected answer${answer}`, `check ${spec.urlVar} and ${spec.tokenVar}`);
}

/**
 * Turns an error from a client or `fetch` into one line saying what happened and how to fix it:
 * a 401 means the token is wrong, a refused connection means the URL is unreachable, and so on.
 * Only the first line of a message is kept, and no stack.
 */
export function explainFailure(spec: ServiceSpec, err: unknown): CheckResult {
  const status = httpStatusOf(err);
  if (status !== undefined) return statusFailure(spec, status);
  const code = networkCodeOf(err);
  if (code !== undefined) {
    const what = NETWORK_CODES[code]?.(spec.url) ?? `TLS problem with ${spec.url} (${code})`;
    return fail(
      spec.name,
      what,
      `the URL is unreachable from here: check ${spec.urlVar} (or unset it for the default), the network and any proxy`,
    );
  }
  if (errorChain(err).some((link) => link.message === 'bad port'))
    return fail(
      spec.name,
      `the port of ${spec.url} is one fetch refuses to use (a reserved port)`,
      `use another port in ${spec.urlVar}`,
    );
  if (isAbort(err))
    return fail(spec.name, `no answer from ${spec.url}`, `check ${spec.urlVar}, the network and any proxy`);
  const message = err instanceof Error ? err.message : String(err);
  return fail(
    spec.name,
    `request failed: ${message.split('\n')[0] ?? ''}`,
    `check ${spec.urlVar} and ${spec.tokenVar}`,
  );
}

/**
 * The shape of a credential check: skipped when its token is unset, `probe` asks the service with
 * the token, and whatever it throws is explained ({@link explainFailure}).
 */
export function credentialCheck(
  spec: ServiceSpec,
  token: string | undefined,
  unsetNote: string,
  probe: (token: string, signal: AbortSignal) => Promise<CheckResult>,
): Check {
  return {
    name: spec.name,
    target: spec.url,
    run: async (signal) => {
      if (!token) return [skip(spec.name, unsetNote)];
      try {
        return [await probe(token, signal)];
      } catch (err) {
        return [explainFailure(spec, err)];
      }
    },
  };
}
