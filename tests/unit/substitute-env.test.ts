import { describe, expect, it } from 'vitest';

import { formatJsonPath, substituteEnv } from '../../src/config/substitute-env.js';

describe('substituteEnv', () => {
  it('replaces ${VAR} in string values at any depth, in objects and arrays', () => {
    const tree = { a: '${A}', nested: { list: ['x-${B}-y', { deep: '${A}${B}' }] } };
    const { value, issues } = substituteEnv(tree, { A: 'alpha', B: 'beta' });
    expect(issues).toEqual([]);
    expect(value).toEqual({ a: 'alpha', nested: { list: ['x-beta-y', { deep: 'alphabeta' }] } });
  });

  it('names the JSON path and the variable of every missing required reference', () => {
    const tree = { mcpServers: { hf: { headers: ['Bearer ${HF_TOKEN}'] } }, other: '${NOPE}' };
    const { issues } = substituteEnv(tree, {});
    expect(issues).toEqual([
      'mcpServers.hf.headers[0]: environment variable HF_TOKEN is not set',
      'other: environment variable NOPE is not set',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(substituteEnv('${EMPTY}', { EMPTY: '' }).issues).toEqual([
      '(root): environment variable EMPTY is not set',
    ]);
    expect(substituteEnv('${EMPTY:-fallback}', { EMPTY: '' }).value).toBe('fallback');
  });

  it('uses ${VAR:-default} only when the variable is unset', () => {
    const tree = { prefix: '${PREFIX:-mlib}', url: '${URL:-http://127.0.0.1:8080/api/}', blank: '${B:-}' };
    expect(substituteEnv(tree, {})).toEqual({
      value: { prefix: 'mlib', url: 'http://127.0.0.1:8080/api/', blank: '' },
      issues: [],
    });
    expect(substituteEnv(tree, { PREFIX: 'team', URL: 'http://x' }).value).toEqual({
      prefix: 'team',
      url: 'http://x',
      blank: '',
    });
  });

  it('keeps $${VAR} as the literal text ${VAR}', () => {
    expect(substituteEnv('cost: $${PRICE} and ${X}', { X: '1', PRICE: '9' }).value).toBe(
      'cost: ${PRICE} and 1',
    );
  });

  it('inserts values verbatim, so quotes and newlines cannot break the JSON they came from', () => {
    const nasty = '", "injected": true, "x": "\n\\';
    const { value } = substituteEnv({ model: '${NASTY}' }, { NASTY: nasty });
    expect(value).toEqual({ model: nasty });
    expect(Object.keys(value as object)).toEqual(['model']);
  });

  it('reports a malformed reference instead of guessing', () => {
    expect(substituteEnv({ a: '${1BAD}' }, {}).issues).toEqual([
      'a: "${1BAD}" is not a valid variable reference',
    ]);
  });

  it('leaves keys, numbers, booleans and null alone and does not modify its input', () => {
    const tree = { '${KEY}': 1, flag: true, none: null, list: [2, '${V}'] };
    const before = structuredClone(tree);
    const { value } = substituteEnv(tree, { KEY: 'k', V: 'v' });
    expect(value).toEqual({ '${KEY}': 1, flag: true, none: null, list: [2, 'v'] });
    expect(tree).toEqual(before);
  });

  it('keeps a "__proto__" key as data instead of setting the prototype', () => {
    const tree: unknown = JSON.parse('{"__proto__": {"polluted": "${P}"}}');
    const { value } = substituteEnv(tree, { P: 'yes' });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: 'yes' });
  });
});

describe('formatJsonPath', () => {
  it('renders keys with dots and array indices with brackets', () => {
    expect(formatJsonPath(['approval', 'require', 0])).toBe('approval.require[0]');
    expect(formatJsonPath([0, 'a'])).toBe('[0].a');
    expect(formatJsonPath([])).toBe('(root)');
  });
});
