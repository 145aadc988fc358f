import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import type { z } from 'zod';

import { ConfigError } from '../core/errors.js';
import { describeJsonError, errorText } from './json-error.js';
import { findProjectRoot } from './project-root.js';
import { configSchema, type Config } from './schema.js';
import { formatJsonPath, substituteEnv, type EnvSource } from './substitute-env.js';

/** The defaults every other layer is merged over, relative to the project root. */
export const DEFAULT_CONFIG_FILE = 'configs/default.json';

/** A config fragment: any subset of the keys, at any depth. */
export type ConfigOverrides = DeepPartial<z.input<typeof configSchema>>;

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Options of {@link loadConfig}; all optional, the defaults are what the CLI uses. */
export interface LoadConfigOptions {
  /** A JSON file merged over the defaults instead of `env.ML_INTERN_CONFIG` (a CLI flag beats the env). */
  overridesPath?: string;
  /** Merged last, over the files (tests, command-line flags). `${VAR}` references are substituted too. */
  overrides?: ConfigOverrides;
  /** Base of a relative `ML_INTERN_CONFIG` / `overridesPath`; defaults to `process.cwd()`. */
  cwd?: string;
  /** Where `configs/default.json` and a relative `systemPrompt` are found; defaults to the real root. */
  projectRoot?: string;
}

/**
 * Loads the one validated config: `configs/default.json`, deep-merged with the file named by
 * `ML_INTERN_CONFIG` (objects merge, arrays and scalars replace), then `options.overrides`, then
 * `${VAR}` / `${VAR:-default}` substitution from `env` (everywhere but `mcpServers`, substituted at
 * connect time), then `configSchema`.
 *
 * Every problem is collected before throwing, so an operator fixes a config in one pass: unreadable
 * files, JSON syntax errors (with line and column), unset variables, each bad field as
 * `path.to.field: message`, and a `systemPrompt` file that does not exist.
 *
 * @throws ConfigError listing every issue.
 */
export function loadConfig(env: EnvSource, options: LoadConfigOptions = {}): Config {
  const issues: string[] = [];
  const root = options.projectRoot ?? findProjectRoot();
  const cwd = options.cwd ?? process.cwd();

  const defaults = readJsonObject(join(root, DEFAULT_CONFIG_FILE), DEFAULT_CONFIG_FILE, issues);
  let merged: Record<string, unknown> = defaults ?? {};

  const fromEnv = env.ML_INTERN_CONFIG?.trim() ?? '';
  const overridesPath = options.overridesPath ?? (fromEnv === '' ? undefined : fromEnv);
  if (overridesPath !== undefined) {
    const label = options.overridesPath === undefined ? `ML_INTERN_CONFIG=${overridesPath}` : overridesPath;
    const layer = readJsonObject(resolve(cwd, overridesPath), label, issues);
    if (layer) merged = deepMerge(merged, layer);
  }
  if (options.overrides) merged = deepMerge(merged, options.overrides);

  // `mcpServers` keeps its `${VAR}` until a server connects: a server whose variables are unset is
  // skipped then (the HF server without HF_TOKEN), instead of failing every command here.
  const { mcpServers, ...substitutable } = merged;
  const substituted = substituteEnv(substitutable, env);
  issues.push(...substituted.issues);
  if (mcpServers !== undefined) (substituted.value as Record<string, unknown>).mcpServers = mcpServers;

  // Without the defaults every field would be reported missing, burying the one real problem.
  const parsed = defaults ? configSchema.safeParse(substituted.value) : undefined;
  if (parsed && !parsed.success) issues.push(...parsed.error.issues.flatMap(formatZodIssue));

  const promptPath = parsed?.success ? parsed.data.systemPrompt : systemPromptOf(substituted.value);
  if (promptPath !== undefined) {
    const absolute = isAbsolute(promptPath) ? promptPath : resolve(root, promptPath);
    if (!isFile(absolute)) issues.push(`systemPrompt: file not found: ${absolute}`);
  }

  if (issues.length > 0 || !parsed?.success) throw new ConfigError(issues);
  return parsed.data;
}

/**
 * Loads `<cwd>/.env` into `process.env` when the file exists, never overriding a variable that is
 * already set (the real environment wins over the file, as with docker and systemd).
 *
 * @returns whether a `.env` file was loaded.
 * @throws ConfigError when the file exists but cannot be read.
 */
export function loadDotEnv(cwd: string): boolean {
  const path = join(cwd, '.env');
  if (!existsSync(path)) return false;
  const before = { ...process.env };
  try {
    process.loadEnvFile(path);
  } catch (err) {
    throw new ConfigError([`${path}: cannot read (${errorText(err)})`]);
  }
  // Node 20.20 already keeps set variables, but this guarantee must not depend on the Node version.
  for (const [name, value] of Object.entries(before)) {
    if (value !== undefined && process.env[name] !== value) process.env[name] = value;
  }
  return true;
}

/** Objects merge recursively; arrays, scalars and null replace. Neither input is modified. */
function deepMerge(base: Record<string, unknown>, layer: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    const next = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
    // defineProperty, because a JSON key "__proto__" assigned with `=` would set the prototype.
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJsonObject(path: string, label: string, issues: string[]): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    issues.push(`${label}: cannot read ${path} (${errorText(err)})`);
    return undefined;
  }
  // Editors on Windows add a BOM, which JSON.parse rejects.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    issues.push(`${label}: ${describeJsonError(text, err)}`);
    return undefined;
  }
  if (!isPlainObject(value)) {
    issues.push(`${label}: must hold a JSON object`);
    return undefined;
  }
  return value;
}

function formatZodIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${formatJsonPath([...issue.path, key])}: unknown key`);
  }
  if (issue.code === 'invalid_union') {
    // "Invalid input" alone does not tell the operator what would be accepted; the branches do.
    const options = issue.errors.flatMap((branch) => (branch.length === 1 ? [branch[0]?.message] : []));
    if (options.length === issue.errors.length && options.length > 0) {
      return [`${formatJsonPath(issue.path)}: ${options.join(', or ')}`];
    }
  }
  return [`${formatJsonPath(issue.path)}: ${issue.message}`];
}

function systemPromptOf(tree: unknown): string | undefined {
  if (!isPlainObject(tree)) return undefined;
  const value = tree.systemPrompt;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
