import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** 2 = newly taken, 1 = renewed (already ours), 0 = held by another. */
const CLAIM_LUA = `
local v = redis.call('GET', KEYS[1])
if v == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

interface LeaseCommands {
  mlibLeaseClaim(key: string, owner: string, ttlMs: number): Promise<number>;
  mlibLeaseRelease(key: string, owner: string): Promise<number>;
}

/**
 * Which gateway renders a session: with several gateways running for one platform, each session is
 * rendered by one of them (the holder of its lease), never twice. A lease lapses when its holder
 * goes quiet or dies, and the next gateway to see an event for the session takes over from the
 * shared cursor.
 */
export class RenderLeases {
  readonly owner = randomUUID();
  private readonly commands: LeaseCommands;

  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (sessionId: string) => string,
    private readonly ttlMs: number,
  ) {
    redis.defineCommand('mlibLeaseClaim', { numberOfKeys: 1, lua: CLAIM_LUA });
    redis.defineCommand('mlibLeaseRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
    this.commands = redis as unknown as LeaseCommands;
  }

  async claim(sessionId: string): Promise<'taken' | 'renewed' | 'elsewhere'> {
    const result = await this.commands.mlibLeaseClaim(this.keyOf(sessionId), this.owner, this.ttlMs);
    return result === 2 ? 'taken' : result === 1 ? 'renewed' : 'elsewhere';
  }

  async release(sessionId: string): Promise<void> {
    await this.commands.mlibLeaseRelease(this.keyOf(sessionId), this.owner);
  }
}
