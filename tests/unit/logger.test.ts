import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/cli/logger.js';
import { createRedactor, REDACTED } from '../../src/core/redact.js';
import { MlInternError } from '../../src/core/errors.js';

const SECRET = 'sekret-value-1234567890';

describe('createLogger (the production logger)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function logFile(): { file: string; lines: () => Array<Record<string, unknown>> } {
    const dir = mkdtempSync(join(tmpdir(), 'mlib-logger-'));
    dirs.push(dir);
    const file = join(dir, 'log.jsonl');
    return {
      file,
      lines: () =>
        readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>),
    };
  }

  it('keeps an error’s type, message, code and stack, with secrets redacted', () => {
    const { file, lines } = logFile();
    const logger = createLogger({ level: 'info', file, redact: createRedactor([SECRET]) });
    const err = new MlInternError('llm_auth', `the key ${SECRET} was refused`);
    logger.error({ err, sessionId: 's1' }, 'operation failed');
    const [line] = lines();
    const logged = line?.err as Record<string, unknown>;
    expect(logged.type).toBe('MlInternError');
    expect(logged.message).toBe(`the key ${REDACTED} was refused`);
    expect(logged.code).toBe('llm_auth');
    expect(String(logged.stack)).toContain('logger.test.ts');
    expect(line?.sessionId).toBe('s1');
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
  });

  it('keeps the cause of an error', () => {
    const { file, lines } = logFile();
    const logger = createLogger({ level: 'info', file, redact: createRedactor([]) });
    logger.error({ err: new Error('outer', { cause: new Error('inner reason') }) }, 'failed');
    expect(JSON.stringify(lines()[0]?.err)).toContain('inner reason');
  });

  it('redacts secrets and token shapes in messages, bindings and nested objects', () => {
    const { file } = logFile();
    const logger = createLogger({ level: 'info', file, redact: createRedactor([SECRET]) });
    logger.child({ token: SECRET }).warn({ nested: { auth: `Bearer ${SECRET}` } }, `saw ${SECRET}`);
    logger.info(`a stray hf_${'a'.repeat(30)} token`);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('hf_aaaa');
    expect(text.split(REDACTED).length - 1).toBeGreaterThanOrEqual(4);
  });
});
