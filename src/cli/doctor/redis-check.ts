import { Redis } from 'ioredis';
import { DEFAULT_REDIS_URL, type Environment } from '../../config/environment.js';
import { fail, ok, skip, type Check, type CheckResult } from './check.js';

/**
 * Redis: it answers, it keeps its data (append-only file or an RDB save schedule: a Redis that keeps
 * nothing loses every session on restart), and it never evicts keys (`maxmemory-policy noeviction`,
 * which BullMQ requires: an evicted job or lock is a lost or doubled turn). One connection, no
 * retries and no offline queue, so an unreachable Redis is reported at once; `doctor` never starts
 * a private Redis the way `start` does.
 */
export function redisCheck(env: Environment, timeoutMs: number): Check {
  const url = env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const shown = displayUrl(url);
  return {
    name: 'Redis',
    target: shown,
    run: async () => {
      let socketError: string | undefined;
      const client = new Redis(url, {
        lazyConnect: true,
        connectTimeout: timeoutMs,
        commandTimeout: timeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
        connectionName: 'ml-intern-bot:doctor',
      });
      // The socket error (ECONNREFUSED, …) arrives as an event; the rejection only says "Connection is closed".
      client.on('error', (err: Error) => {
        socketError ??= firstLine(err.message);
      });
      try {
        await client.connect();
        await client.ping();
      } catch (err) {
        client.disconnect();
        return [unreachable(env, shown, socketError ?? firstLine(errorText(err)))];
      }
      try {
        const info = parseInfo(await client.info());
        return [
          ok('Redis', `answers at ${shown} (Redis ${info.redis_version ?? '?'})`),
          await persistenceLine(client, info),
          evictionLine(info),
        ];
      } finally {
        client.disconnect();
      }
    },
  };
}

function unreachable(env: Environment, shown: string, reason: string): CheckResult {
  if (/NOAUTH|WRONGPASS|invalid password/i.test(reason))
    return fail(
      'Redis',
      `${shown} refused the credentials (${reason})`,
      'put the right user and password in REDIS_URL',
    );
  const fix = env.REDIS_URL
    ? 'start that Redis or correct REDIS_URL (redis://[user:password@]host:port)'
    : 'start a Redis there (redis-server --appendonly yes) or set REDIS_URL; `ml-intern-bot start` starts a private one in .data/redis when none answers';
  return fail('Redis', `does not answer at ${shown}${env.REDIS_URL ? ' (REDIS_URL)' : ''}: ${reason}`, fix);
}

async function persistenceLine(client: Redis, info: Record<string, string>): Promise<CheckResult> {
  const name = 'Redis persistence';
  if (info.aof_enabled === '1') return ok(name, 'append-only file on (appendonly yes)');
  let schedule: string | undefined;
  try {
    const reply = await client.config('GET', 'save');
    schedule = reply[1] ?? '';
  } catch {
    // CONFIG is disabled on many managed Redis services; INFO is all there is.
    return skip(
      name,
      'cannot tell (CONFIG is disabled here): make sure this Redis persists data (AOF or RDB snapshots), or every session is lost when it restarts',
    );
  }
  if (schedule.trim() !== '')
    return ok(name, `RDB snapshots (save ${schedule}); appendonly yes loses less on a crash`);
  return fail(
    name,
    'off (appendonly no, no save schedule): every session, history and queued operation is lost when Redis restarts',
    'run Redis with --appendonly yes (or CONFIG SET appendonly yes, then CONFIG REWRITE)',
  );
}

function evictionLine(info: Record<string, string>): CheckResult {
  const name = 'Redis eviction';
  const policy = info.maxmemory_policy;
  if (policy === undefined)
    return skip(name, 'maxmemory-policy not reported by this server; BullMQ needs noeviction');
  if (policy === 'noeviction') return ok(name, 'maxmemory-policy noeviction');
  return fail(
    name,
    `maxmemory-policy is ${policy}: under memory pressure Redis would delete queue jobs, locks and sessions (BullMQ needs noeviction)`,
    'run Redis with --maxmemory-policy noeviction (or CONFIG SET maxmemory-policy noeviction, then CONFIG REWRITE)',
  );
}

/** `INFO`'s `key:value` lines. */
function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** The URL as it may appear in the report: the password masked. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(an unparseable REDIS_URL)';
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').replace(/\.$/, '');
}
