import type { Config } from './schema.js';
import { secretsOf, type Environment } from './environment.js';
import { substituteEnv, type EnvSource } from './substitute-env.js';

/** Environment variable names that hold credentials by convention (`OPENAI_API_KEY`, `AWS_SECRET_ACCESS_KEY`, …). */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)$/i;
/** Config keys whose string values are credentials (MCP headers and env, tokens in any section). */
const SECRET_KEY = /token|secret|password|passwd|api_?key|authorization|credential|cookie/i;

/**
 * Every secret the redactor must know: the credential variables of the environment contract, any
 * other variable named like a credential, and the config's secret-looking values (an MCP server's
 * `headers` and `env`, after `${VAR}` substitution, and any key named like a token).
 */
export function collectSecrets(environment: Environment, env: EnvSource, config: Config): string[] {
  const secrets = new Set(secretsOf(environment));
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && SECRET_NAME.test(name) && value.trim() !== '') secrets.add(value.trim());
  }
  for (const server of Object.values(config.mcpServers)) {
    // Their `${VAR}`s are substituted only when a server connects; the values are secrets already.
    const { headers, env: serverEnv } = server as { headers?: unknown; env?: unknown };
    for (const group of [headers, serverEnv]) {
      if (group === null || typeof group !== 'object') continue;
      const substituted = substituteEnv(group, env).value as Record<string, unknown>;
      for (const value of Object.values(substituted)) {
        if (typeof value === 'string' && !value.includes('${')) addCredential(secrets, value);
      }
    }
  }
  walkConfig(config, secrets);
  return [...secrets];
}

/** A header value like `Bearer abc…` is redacted as its credential part too. */
function addCredential(secrets: Set<string>, value: string): void {
  secrets.add(value);
  const scheme = /^\s*(?:bearer|basic|token)\s+(\S+)\s*$/i.exec(value);
  if (scheme?.[1]) secrets.add(scheme[1]);
}

function walkConfig(value: unknown, secrets: Set<string>, key = ''): void {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) addCredential(secrets, value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walkConfig(item, secrets, key);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, item] of Object.entries(value)) walkConfig(item, secrets, k);
  }
}
