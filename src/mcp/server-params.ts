import type { McpServerConfig } from '../config/mcp-schema.js';
import { substituteEnv, type EnvSource } from '../config/substitute-env.js';
import { McpError } from './mcp-errors.js';

/** How to reach one server once its `${VAR}`s are substituted. */
export type ServerParams =
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { transport: 'http' | 'sse'; url: URL; headers: Record<string, string> };

/** A server's params and the values that must never reach a log line or a tool result. */
export interface ResolvedServer {
  params: ServerParams;
  /** Header and env values after substitution (and a bearer's credential part). */
  secrets: string[];
}

/**
 * Why the server is not to be used at all (disabled, or a `requiresEnv` variable unset), or
 * undefined. A skipped server is not an error: the HF server without HF_TOKEN is the common case.
 */
export function skipReason(config: McpServerConfig, env: EnvSource): string | undefined {
  if (!config.enabled) return 'enabled is false';
  const missing = config.requiresEnv.filter((name) => !env[name]?.trim());
  return missing.length > 0 ? `${missing.join(', ')} not set (requiresEnv)` : undefined;
}

/**
 * Substitutes `${VAR}` / `${VAR:-default}` in command, args, env, url and headers, at connect time.
 *
 * @throws McpError `mcp_config` naming each unset variable and the field it is in (never a value),
 *   or a URL that is not http(s) once substituted.
 */
export function resolveServer(name: string, config: McpServerConfig, env: EnvSource): ResolvedServer {
  const fields =
    config.transport === 'stdio'
      ? { command: config.command, args: config.args, env: config.env }
      : { url: config.url, headers: config.headers };
  const { value, issues } = substituteEnv({ mcpServers: { [name]: fields } }, env);
  if (issues.length > 0) throw new McpError('mcp_config', name, issues.join('; '));
  const resolved = (value as { mcpServers: Record<string, typeof fields> }).mcpServers[name]!;

  if (config.transport === 'stdio') {
    const stdio = resolved as { command: string; args: string[]; env: Record<string, string> };
    return {
      params: {
        transport: 'stdio',
        command: stdio.command,
        args: stdio.args,
        env: stdio.env,
        ...(config.cwd ? { cwd: config.cwd } : {}),
      },
      secrets: credentialsOf(Object.values(stdio.env)),
    };
  }
  const http = resolved as { url: string; headers: Record<string, string> };
  let url: URL;
  try {
    url = new URL(http.url);
  } catch {
    throw new McpError('mcp_config', name, `mcpServers.${name}.url: not a valid URL once substituted`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new McpError('mcp_config', name, `mcpServers.${name}.url: must be an http:// or https:// URL`);
  }
  // A password in the URL is a credential too.
  const inUrl = [url.password, url.username].filter((part) => part !== '');
  return {
    params: { transport: config.transport, url, headers: http.headers },
    secrets: credentialsOf([...Object.values(http.headers), ...inUrl, ...queryValues(url)]),
  };
}

/** Each value, and the credential part of `Bearer <token>` / `Basic <x>` / `token <x>`. */
function credentialsOf(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (value.trim() === '') continue;
    out.push(value);
    const scheme = /^\s*(?:bearer|basic|token)\s+(\S+)\s*$/i.exec(value);
    if (scheme?.[1]) out.push(scheme[1]);
  }
  return out;
}

/** Query values (`?key=...`): some servers take their key there. */
function queryValues(url: URL): string[] {
  return [...url.searchParams.values()];
}
