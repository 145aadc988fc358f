import { Redis } from 'ioredis';

/** The outcome of one PING: it answered, or why not (one line, never the password). */
export type RedisProbe = { ok: true } | { ok: false; reason: string };

const PROBE_TIMEOUT_MS = 2_000;

/**
 * One PING under one deadline, no retries, no offline queue: it answers now or counts as down. Used to
 * decide whether a Redis is there before anything connects for good (the CLI, the test run).
 */
export async function pingRedis(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<RedisProbe> {
  let client: Redis | undefined;
  // The socket error (ECONNREFUSED, ENOTFOUND, ...) arrives as an event; the rejected promise only
  // says "Connection is closed", which would not help anyone fix REDIS_URL.
  let socketError: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  // ioredis sends its own commands on connect, each with its own timeout; one deadline bounds them all.
  const deadline = new Promise<RedisProbe>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const attempt = (async (): Promise<RedisProbe> => {
    try {
      client = new Redis(url, {
        lazyConnect: true,
        connectTimeout: timeoutMs,
        commandTimeout: timeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
      });
      // Also keeps ioredis from printing every failure to stderr as an unhandled error event.
      client.on('error', (err) => {
        socketError ??= reasonOf(err);
      });
      await client.connect();
      const reply = await client.ping();
      return reply === 'PONG'
        ? { ok: true }
        : { ok: false, reason: `unexpected reply ${JSON.stringify(reply)}` };
    } catch (err) {
      return { ok: false, reason: socketError ?? reasonOf(err) };
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    client?.disconnect();
  }
}

/** The URL as it may appear in a message: the password masked. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

/** The first line of an error's message, without a final period: fits inside a sentence. */
export function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]?.replace(/\.$/, '') ?? 'unknown error';
}
