import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * Bolt and its clients log through our logger (JSON, redacted) instead of the console. An Error
 * among the arguments (Bolt passes them as in `logger.error('Slack API error', error)`) goes to
 * pino's `err` field, so its type, message and stack are kept rather than stringified to `{}`.
 */
export function boltLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack-sdk' });
  let level: LogLevel = LogLevel.INFO;
  const write = (to: Level, parts: unknown[]) => {
    // The Web API client logs every call at debug with its arguments: formatting those for a level
    // that is off was a measurable share of the gateway's CPU in a burst.
    if (!child.isLevelEnabled(to)) return;
    const err = parts.find((p): p is Error => p instanceof Error);
    const text = parts
      .filter((p) => p !== err)
      .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
      .join(' ');
    if (err === undefined) child[to](text);
    else child[to]({ err }, text === '' ? err.message : text);
  };
  return {
    debug: (...msg: unknown[]) => write('debug', msg),
    info: (...msg: unknown[]) => write('info', msg),
    warn: (...msg: unknown[]) => write('warn', msg),
    error: (...msg: unknown[]) => write('error', msg),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
