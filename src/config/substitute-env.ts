/**
 * `${VAR}` and `${VAR:-default}` substitution in a parsed JSON tree.
 *
 * Substitution runs on the values after `JSON.parse`, never on the file text, so a value holding quotes,
 * backslashes or newlines cannot break the JSON or inject keys.
 */

/** Variables to substitute from (`process.env` or a plain record in tests). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** The substituted tree and one issue per reference that could not be resolved. */
export interface SubstitutionResult {
  value: unknown;
  /** `path.to.field: ...` lines naming the JSON path and the variable. */
  issues: string[];
}

// `$${...}` is an escape for a literal `${...}`; `:-` introduces a default that runs to the first `}`.
const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Returns a copy of `tree` where every string value (at any depth, in objects and arrays) has its
 * references replaced. Keys are never substituted.
 *
 * - `${VAR}`: required; unset or empty → an issue naming the path and `VAR` (the text is left as is).
 * - `${VAR:-default}`: `default` when `VAR` is unset or empty (shell semantics).
 * - `$${VAR}`: the literal text `${VAR}`.
 */
export function substituteEnv(tree: unknown, env: EnvSource): SubstitutionResult {
  const issues: string[] = [];
  const value = walk(tree, [], env, issues);
  return { value, issues };
}

/**
 * Renders a JSON path the way every config issue names a field: `worker.concurrency`,
 * `approval.require[0]`, or `(root)` for the document itself.
 */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function walk(node: unknown, path: PropertyKey[], env: EnvSource, issues: string[]): unknown {
  if (typeof node === 'string') return substituteString(node, path, env, issues);
  if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i], env, issues));
  if (typeof node === 'object' && node !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      // defineProperty, because a JSON key "__proto__" assigned with `=` would set the prototype.
      Object.defineProperty(out, key, {
        value: walk(child, [...path, key], env, issues),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return node;
}

function substituteString(text: string, path: PropertyKey[], env: EnvSource, issues: string[]): string {
  return text.replace(REFERENCE, (whole, escape: string, body: string) => {
    if (escape === '$') return whole.slice(1);
    const separator = body.indexOf(':-');
    const name = separator === -1 ? body : body.slice(0, separator);
    if (!VARIABLE_NAME.test(name)) {
      issues.push(`${formatJsonPath(path)}: "\${${body}}" is not a valid variable reference`);
      return whole;
    }
    const current = env[name];
    if (current !== undefined && current !== '') return current;
    if (separator !== -1) return body.slice(separator + 2);
    issues.push(`${formatJsonPath(path)}: environment variable ${name} is not set`);
    return whole;
  });
}
