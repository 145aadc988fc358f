import type { Redis } from 'ioredis';

/** What a redis-server has done since it started: commands by name, and its own CPU time. */
export interface RedisCounters {
  /** `INFO commandstats` calls per command (commands run inside Lua scripts count too). */
  calls: Map<string, number>;
  /** `used_cpu_user` + `used_cpu_sys`, seconds. */
  cpuS: number;
}

export async function readRedisCounters(redis: Redis): Promise<RedisCounters> {
  const [commandstats, cpu] = await Promise.all([redis.info('commandstats'), redis.info('cpu')]);
  const calls = new Map<string, number>();
  for (const match of commandstats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(match[1]!, Number(match[2]));
  }
  const used = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(cpu)?.[1] ?? NaN);
  return { calls, cpuS: used('used_cpu_user') + used('used_cpu_sys') };
}

/** Calls per command between two readings, most first; the INFO readings themselves left out. */
export function callsBetween(before: RedisCounters, after: RedisCounters): Array<[string, number]> {
  return [...after.calls]
    .filter(([name]) => name !== 'info')
    .map(([name, calls]): [string, number] => [name, calls - (before.calls.get(name) ?? 0)])
    .filter(([, calls]) => calls > 0)
    .sort((x, y) => y[1] - x[1]);
}

/** What a redis-server has received (`input`: the app's writes and commands) or sent (`output`: what the app read) since it started, bytes. */
export async function netBytes(redis: Redis, direction: 'input' | 'output'): Promise<number> {
  const info = await redis.info('stats');
  const match = new RegExp(`total_net_${direction}_bytes:(\\d+)`).exec(info);
  if (!match?.[1]) throw new Error(`INFO stats has no total_net_${direction}_bytes`);
  return Number(match[1]);
}

/** Scripts run (EVALSHA, EVAL, FCALL: the calls a client sent, not the commands inside them) between two readings. */
function scriptCallsBetween(before: RedisCounters, after: RedisCounters): number {
  return ['evalsha', 'eval', 'evalsha_ro', 'eval_ro', 'fcall', 'fcall_ro'].reduce(
    (sum, name) => sum + (after.calls.get(name) ?? 0) - (before.calls.get(name) ?? 0),
    0,
  );
}

/** What Redis did for a measured span, per unit of work (a turn, a job). */
export function redisCostPer(
  before: RedisCounters,
  after: RedisCounters,
  units: number,
): { cpuMs: number; scripts: number } {
  return {
    cpuMs: ((after.cpuS - before.cpuS) * 1000) / units,
    scripts: scriptCallsBetween(before, after) / units,
  };
}
