import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../adapters/slack/bolt-logger.js';
import { capturedLogger } from '../helpers/captured-logger.js';

describe('Bolt logs through our logger', () => {
  it('keeps an Error argument as err (message and stack), not as "{}"', () => {
    const log = capturedLogger();
    boltLogger(log.logger).error('Slack API error: channel_not_found', new Error('boom'));
    const line = log.lines.at(-1)!;
    expect(line.msg).toBe('Slack API error: channel_not_found');
    const err = line.err as { message?: string; stack?: string };
    expect(err.message).toBe('boom');
    expect(err.stack).toContain('boom');
    expect(line.component).toBe('slack-sdk');
  });

  it('joins plain arguments into the message', () => {
    const log = capturedLogger();
    boltLogger(log.logger).warn('http request failed', 'ECONNRESET', { attempt: 2 });
    expect(log.lines.at(-1)?.msg).toBe('http request failed ECONNRESET {"attempt":2}');
  });

  it('does not format the arguments of a level that is off (the client logs each call at debug)', () => {
    const log = capturedLogger('warn');
    let formatted = 0;
    const args = { toJSON: () => ((formatted += 1), { method: 'chat.postMessage' }) };
    const logger = boltLogger(log.logger);
    logger.debug('http request', args);
    logger.warn('http request failed', args);
    expect(formatted).toBe(1);
    expect(log.lines.map((l) => l.msg)).toEqual(['http request failed {"method":"chat.postMessage"}']);
  });
});
