import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readEnvironment, secretsOf } from '../../src/config/environment.js';
import { loadConfig, loadDotEnv } from '../../src/config/load-config.js';
import { findProjectRoot } from '../../src/config/project-root.js';
import { ConfigError } from '../../src/core/errors.js';

const realRoot = findProjectRoot();
const shippedDefaults = JSON.parse(readFileSync(join(realRoot, 'configs/default.json'), 'utf8')) as {
  model: string;
};

/** Runs `fn` and returns the ConfigError it throws (failing the test if it throws anything else). */
function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

let dir: string;
let root: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'load-config-'));
  // A private project root, so a test can change the defaults without touching the real ones.
  root = join(dir, 'root');
  mkdirSync(join(root, 'configs'), { recursive: true });
  copyFileSync(join(realRoot, 'configs/default.json'), join(root, 'configs/default.json'));
  writeFileSync(join(root, 'configs/system-prompt.md'), 'You are a test.\n');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

describe('findProjectRoot', () => {
  it('finds the directory whose package.json is ml-intern-bot', () => {
    const pkg = JSON.parse(readFileSync(join(realRoot, 'package.json'), 'utf8')) as { name: string };
    expect(pkg.name).toBe('ml-intern-bot');
    expect(findProjectRoot(join(realRoot, 'src', 'config', 'schema.ts'))).toBe(realRoot);
  });

  it('throws project_root_not_found when no such package.json is above', () => {
    expect(() => findProjectRoot(dir)).toThrow(expect.objectContaining({ code: 'project_root_not_found' }));
  });
});

describe('loadConfig', () => {
  it('loads the shipped defaults from the real project root with an empty environment', () => {
    const config = loadConfig({}, { cwd: dir });
    expect(config.model).toBe(shippedDefaults.model);
    expect(config.systemPrompt).toBe('configs/system-prompt.md');
    expect(config.approval).toEqual({ yolo: false, require: [], approvers: 'owner' });
    expect(config.redis.prefix).toBe('mlib');
  });

  it('deep-merges ML_INTERN_CONFIG (relative to cwd): objects merge, arrays and scalars replace', () => {
    writeFileSync(
      join(root, 'configs/default.json'),
      JSON.stringify({ model: 'anthropic/base', approval: { require: ['a', 'b'], approvers: 'owner' } }),
    );
    writeJson('team.json', { maxIterations: 12, approval: { require: ['c'] }, worker: { concurrency: 3 } });
    const config = loadConfig({ ML_INTERN_CONFIG: 'team.json' }, { cwd: dir, projectRoot: root });
    expect(config.maxIterations).toBe(12);
    expect(config.approval.require).toEqual(['c']);
    expect(config.approval.approvers).toBe('owner');
    expect(config.worker).toEqual({ concurrency: 3, processes: 0, lockMs: 2_000, stalledIntervalMs: 1_000 });
    expect(config.model).toBe('anthropic/base');
  });

  it('substitutes ${VAR:-default} and ${VAR} after merging, except in mcpServers (substituted at connect time)', () => {
    writeJson('team.json', {
      redis: { prefix: '${PREFIX:-dev}' },
      mcpServers: {
        hf: { transport: 'http', url: '${HF_MCP_URL}', headers: { Authorization: 'Bearer ${UNSET_TOKEN}' } },
      },
    });
    const env = { ML_INTERN_CONFIG: 'team.json', HF_MCP_URL: 'http://127.0.0.1:9/mcp' };
    const config = loadConfig(env, { cwd: dir, projectRoot: root });
    expect(config.redis.prefix).toBe('dev');
    // Left as written: an unset variable skips that one server when it connects, not the whole config.
    expect(config.mcpServers.hf).toMatchObject({
      transport: 'http',
      url: '${HF_MCP_URL}',
      headers: { Authorization: 'Bearer ${UNSET_TOKEN}' },
    });
    expect(loadConfig({ ...env, PREFIX: 'team' }, { cwd: dir, projectRoot: root }).redis.prefix).toBe('team');
  });

  it('prefers options.overridesPath over ML_INTERN_CONFIG and merges options.overrides last', () => {
    writeJson('env.json', { maxIterations: 1 });
    writeJson('flag.json', { maxIterations: 2, stream: false });
    const config = loadConfig(
      { ML_INTERN_CONFIG: 'env.json' },
      {
        cwd: dir,
        projectRoot: root,
        overridesPath: 'flag.json',
        overrides: { stream: true, worker: { lockMs: 900 } },
      },
    );
    expect(config.maxIterations).toBe(2);
    expect(config.stream).toBe(true);
    expect(config.worker.lockMs).toBe(900);
    expect(config.worker.concurrency).toBe(50);
  });

  it('names every bad field, unknown key, missing variable and missing prompt file in one error', () => {
    writeJson('bad.json', {
      model: 'not a model',
      unknownKey: true,
      worker: { concurrency: 0, extra: 1 },
      approval: { approvers: 5, require: ['ok', 7] },
      compactionThreshold: 2,
      mcpServers: { hf: { transport: 'http', url: 'http://x/mcp', token: '${MISSING_TOKEN}' } },
      jobs: { namespace: '${MISSING_TOKEN}' },
      systemPrompt: 'prompts/nope.md',
    });
    const error = configErrorOf(() =>
      loadConfig({ ML_INTERN_CONFIG: 'bad.json' }, { cwd: dir, projectRoot: root }),
    );
    expect(error.code).toBe('invalid_config');
    const issues = error.issues.join('\n');
    expect(issues).toContain('jobs.namespace: environment variable MISSING_TOKEN is not set');
    expect(issues).toContain('mcpServers.hf.token: unknown key');
    expect(issues).toContain('model: must look like "anthropic/<model-id>"');
    expect(issues).toContain('unknownKey: unknown key');
    expect(issues).toContain('worker.extra: unknown key');
    expect(issues).toMatch(/worker\.concurrency: .*>=1/);
    expect(issues).toMatch(/approval\.approvers: .*"owner"\|"channel".*, or .*expected array/);
    expect(issues).toMatch(/approval\.require\[1\]: .*expected string/);
    expect(issues).toMatch(/compactionThreshold: .*<=1/);
    expect(issues).toContain(`systemPrompt: file not found: ${join(root, 'prompts/nope.md')}`);
    expect(error.issues).toHaveLength(10);
    expect(error.message).toContain('  - worker.extra: unknown key');
  });

  it('reports bad JSON with its line and column, without quoting the file', () => {
    writeFileSync(
      join(dir, 'broken.json'),
      '{\n  "model": "anthropic/x",\n  "token": "hf_secretsecret",\n}\n',
    );
    const error = configErrorOf(() =>
      loadConfig({ ML_INTERN_CONFIG: 'broken.json' }, { cwd: dir, projectRoot: root }),
    );
    expect(error.issues).toEqual([
      `ML_INTERN_CONFIG=broken.json: invalid JSON at line 4, column 1: expected a property name in double quotes, found "}"`,
    ]);
  });

  it.each([
    ['{"a": 1 "b": 2}', "line 1, column 9: expected ',' or '}'"],
    ['[1, 2,]', 'line 1, column 7: expected a value, found "]"'],
    ['{"a": tru}', 'line 1, column 7: expected a value'],
    ['{"a": 01}', "line 1, column 8: expected ',' or '}', found \"1\""],
    ['{"a": "x\ty"}', 'line 1, column 9: control character inside a string'],
    ['{"a": "\\q"}', 'line 1, column 9: expected a valid escape sequence'],
    ['{"a": 1} {}', 'line 1, column 10: expected the end of the file'],
    ['{"a": "open', 'line 1, column 12: expected a closing quote, found the end of the file'],
    ['', 'line 1, column 1: expected a value, found the end of the file'],
  ])('locates the JSON error in %j', (text, expected) => {
    writeFileSync(join(dir, 'broken.json'), text);
    const error = configErrorOf(() =>
      loadConfig({}, { cwd: dir, projectRoot: root, overridesPath: 'broken.json' }),
    );
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toContain(expected);
  });

  it('reports an unreadable file and a file that is not an object', () => {
    writeJson('array.json', [1, 2]);
    const missing = configErrorOf(() =>
      loadConfig({ ML_INTERN_CONFIG: 'missing.json' }, { cwd: dir, projectRoot: root }),
    );
    expect(missing.issues).toEqual([
      expect.stringMatching(/^ML_INTERN_CONFIG=missing\.json: cannot read .*ENOENT/),
    ]);
    const array = configErrorOf(() =>
      loadConfig({}, { cwd: dir, projectRoot: root, overridesPath: 'array.json' }),
    );
    expect(array.issues).toEqual(['array.json: must hold a JSON object']);
  });

  it('reports missing defaults without burying it under every field of the schema', () => {
    rmSync(join(root, 'configs/default.json'));
    const error = configErrorOf(() => loadConfig({}, { cwd: dir, projectRoot: root }));
    expect(error.issues).toEqual([expect.stringMatching(/^configs\/default\.json: cannot read/)]);
  });

  it('accepts a file with a byte-order mark and an absolute systemPrompt', () => {
    const prompt = join(dir, 'prompt.md');
    writeFileSync(prompt, 'hi');
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${JSON.stringify({ systemPrompt: prompt })}`);
    expect(loadConfig({ ML_INTERN_CONFIG: 'bom.json' }, { cwd: dir, projectRoot: root }).systemPrompt).toBe(
      prompt,
    );
  });
});

describe('loadDotEnv', () => {
  const names = ['MLIB_TEST_DOTENV_NEW', 'MLIB_TEST_DOTENV_SET'];
  afterEach(() => {
    for (const name of names) delete process.env[name];
  });

  it('loads .env from cwd without overriding variables that are already set', () => {
    writeFileSync(join(dir, '.env'), 'MLIB_TEST_DOTENV_NEW=from-file\nMLIB_TEST_DOTENV_SET=from-file\n');
    process.env.MLIB_TEST_DOTENV_SET = 'from-shell';
    expect(loadDotEnv(dir)).toBe(true);
    expect(process.env.MLIB_TEST_DOTENV_NEW).toBe('from-file');
    expect(process.env.MLIB_TEST_DOTENV_SET).toBe('from-shell');
  });

  it('does nothing when there is no .env', () => {
    expect(loadDotEnv(dir)).toBe(false);
    expect(process.env.MLIB_TEST_DOTENV_NEW).toBeUndefined();
  });
});

// The env contract sits beside the config loader: both turn the environment into validated values.
describe('readEnvironment', () => {
  it('applies the defaults of DESIGN.md and leaves unset variables undefined', () => {
    const environment = readEnvironment({});
    expect(environment).toMatchObject({
      HF_ENDPOINT: 'https://huggingface.co',
      GITHUB_API_URL: 'https://api.github.com',
      DISCORD_API_URL: 'https://discord.com/api',
      LOG_LEVEL: 'info',
    });
    expect(environment.REDIS_URL).toBeUndefined();
    expect(environment.PORT).toBeUndefined();
    expect(Object.isFrozen(environment)).toBe(true);
  });

  it('normalises URL forms the SDKs expect and treats empty values as unset', () => {
    const environment = readEnvironment({
      REDIS_URL: 'redis://127.0.0.1:6390',
      SLACK_API_URL: 'http://127.0.0.1:4000/api',
      DISCORD_API_URL: 'http://127.0.0.1:4001/api/',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4002/',
      PORT: ' 8080 ',
      LOG_LEVEL: 'DEBUG',
      HF_TOKEN: '',
    });
    expect(environment).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6390',
      SLACK_API_URL: 'http://127.0.0.1:4000/api/',
      DISCORD_API_URL: 'http://127.0.0.1:4001/api',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4002',
      PORT: 8080,
      LOG_LEVEL: 'debug',
    });
    expect(environment.HF_TOKEN).toBeUndefined();
  });

  it('names every bad variable without echoing its value', () => {
    const error = configErrorOf(() =>
      readEnvironment({
        REDIS_URL: 'http://:hunter2hunter2@host',
        PORT: '70000',
        HF_ENDPOINT: 'not a url',
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/v1',
        DISCORD_API_URL: 'http://127.0.0.1:9/api/v10',
        LOG_LEVEL: 'loud',
      }),
    );
    expect(error.issues.map((issue) => issue.split(':')[0])).toEqual(
      expect.arrayContaining([
        'REDIS_URL',
        'PORT',
        'HF_ENDPOINT',
        'ANTHROPIC_BASE_URL',
        'DISCORD_API_URL',
        'LOG_LEVEL',
      ]),
    );
    expect(error.issues).toHaveLength(6);
    expect(error.message).not.toContain('hunter2');
    expect(configErrorOf(() => readEnvironment({ PORT: 'abc' })).issues).toEqual([
      'PORT: must be a port number (0-65535)',
    ]);
  });

  it('lists the set secrets, including the password of REDIS_URL', () => {
    const environment = readEnvironment({
      HF_TOKEN: 'hf_token_value',
      SLACK_BOT_TOKEN: 'xoxb-1',
      REDIS_URL: 'redis://:p%40ssword@127.0.0.1:6379',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
    });
    expect(secretsOf(environment).sort()).toEqual(['hf_token_value', 'p@ssword', 'xoxb-1']);
    expect(secretsOf(readEnvironment({}))).toEqual([]);
  });
});
