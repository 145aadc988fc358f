import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import type { z } from 'zod';

import { ConfigError } from '../core/errors.js';
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
 * `${VAR}` / `${VAR:-default}` substitution from `env`, then `configSchema`.
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

  const substituted = substituteEnv(merged, env);
  issues.push(...substituted.issues);

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

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * V8's messages only sometimes carry a position, and some quote the file (which may hold a token), so
 * the position and the message come from a small scan of the text instead.
 */
function describeJsonError(text: string, err: unknown): string {
  const found = locateJsonError(text);
  if (!found) return `invalid JSON (${errorText(err).replace(/, ".*" is not valid JSON$/s, '')})`;
  const before = text.slice(0, found.offset);
  const line = before.split('\n').length;
  const column = found.offset - before.lastIndexOf('\n');
  return `invalid JSON at line ${line}, column ${column}: ${found.message}`;
}

interface JsonSyntaxProblem {
  offset: number;
  message: string;
}

/** Finds the first syntax error of a JSON text (RFC 8259), or undefined when it is valid. */
function locateJsonError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const problem = (message: string): JsonSyntaxProblem => ({ offset: i, message });
  const found = (): string => (i < text.length ? JSON.stringify(text.charAt(i)) : 'the end of the file');
  const expected = (what: string): JsonSyntaxProblem => problem(`expected ${what}, found ${found()}`);
  const isDigit = (): boolean => i < text.length && text.charAt(i) >= '0' && text.charAt(i) <= '9';
  const skipDigits = (): void => {
    while (isDigit()) i++;
  };
  const skipWhitespace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };

  const string = (): JsonSyntaxProblem | undefined => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) return expected('a closing quote');
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c.charCodeAt(0) < 0x20) return problem('control character inside a string (use an escape)');
      if (c !== '\\') {
        i++;
        continue;
      }
      i++;
      const escape = text.charAt(i);
      if (escape !== '' && '"\\/bfnrt'.includes(escape)) i++;
      else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
      else return expected('a valid escape sequence');
    }
  };

  const number = (): JsonSyntaxProblem | undefined => {
    if (text.charAt(i) === '-') i++;
    if (text.charAt(i) === '0') i++;
    else if (isDigit()) skipDigits();
    else return expected('a digit');
    if (text.charAt(i) === '.') {
      i++;
      if (!isDigit()) return expected('a digit');
      skipDigits();
    }
    if (text.charAt(i) === 'e' || text.charAt(i) === 'E') {
      i++;
      if (text.charAt(i) === '+' || text.charAt(i) === '-') i++;
      if (!isDigit()) return expected('a digit');
      skipDigits();
    }
    return undefined;
  };

  const container = (close: '}' | ']'): JsonSyntaxProblem | undefined => {
    i++; // the opening bracket
    skipWhitespace();
    if (text.charAt(i) === close) {
      i++;
      return undefined;
    }
    for (;;) {
      if (close === '}') {
        skipWhitespace();
        if (text.charAt(i) !== '"') return expected('a property name in double quotes');
        const keyProblem = string();
        if (keyProblem) return keyProblem;
        skipWhitespace();
        if (text.charAt(i) !== ':') return expected("':'");
        i++;
      }
      const valueProblem = value();
      if (valueProblem) return valueProblem;
      skipWhitespace();
      if (text.charAt(i) === ',') {
        i++;
        continue;
      }
      if (text.charAt(i) === close) {
        i++;
        return undefined;
      }
      return expected(`',' or '${close}'`);
    }
  };

  const value = (): JsonSyntaxProblem | undefined => {
    skipWhitespace();
    const c = text.charAt(i);
    if (c === '{') return container('}');
    if (c === '[') return container(']');
    if (c === '"') return string();
    if (c === '-' || isDigit()) return number();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return undefined;
      }
    }
    return expected('a value');
  };

  const first = value();
  if (first) return first;
  skipWhitespace();
  return i < text.length ? expected('the end of the file') : undefined;
}
