import type { Redis } from 'ioredis';
import { MlInternError } from '../core/errors.js';

/**
 * The session lock a run holds, as its writes see it. A write made under a fence happens only if
 * the lock key still holds the token, checked and written in one Lua script: a run whose lock
 * expired (its event loop stalled, Redis restarted) and was taken by another worker cannot write
 * into the session any more, so two runs never interleave in a thread.
 */
export interface Fence {
  /** The lock key (same hash slot as the session's other keys). */
  readonly key: string;
  readonly token: string;
  /** Called when a write finds the lock gone: the run stops (and its LLM stream is aborted). */
  lost(): void;
}

/** A fenced write found that the run no longer holds the session lock. */
export class LockLostError extends MlInternError {
  constructor() {
    super('lock_lost', 'the session lock was lost; another worker runs this session now', {
      userMessage: 'This request moved to another worker.',
    });
  }
}

/** One write: a command, the key it writes, and its other arguments. */
export type Write = readonly [command: string, key: string, ...args: Array<string | number>];

/**
 * Checks the fence, then runs each write. ARGV: token, then per write: the number of arguments
 * after the key, the command, the key's index in KEYS, the arguments.
 */
const FENCED_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('MLIB_LOCK_LOST') end
local out = {}
local i = 2
while i <= #ARGV do
  local m = tonumber(ARGV[i])
  local args = { ARGV[i + 1], KEYS[tonumber(ARGV[i + 2])] }
  for j = 1, m do args[j + 2] = ARGV[i + 2 + j] end
  out[#out + 1] = redis.call(unpack(args))
  i = i + 3 + m
end
return out
`;

const CHECK_LUA = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('MLIB_LOCK_LOST') end return 1`;

interface FencedCommands {
  mlibFenced(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<unknown[]>;
  mlibFenceCheck(key: string, token: string): Promise<number>;
}

/** Values one list push carries at most (Lua's `unpack` has a limit of a few thousand). */
export const MAX_VALUES_PER_PUSH = 1_000;

/**
 * Runs groups of writes atomically: under a fence (see {@link Fence}) in one Lua script that checks
 * the lock first, otherwise in one MULTI. Every store writes through one of these, so whether a
 * store is fenced is decided where it is built, not in each method.
 */
export class FencedWrites {
  private readonly commands: FencedCommands;

  constructor(
    private readonly redis: Redis,
    readonly fence?: Fence,
  ) {
    if (!('mlibFenced' in redis)) {
      redis.defineCommand('mlibFenced', { lua: FENCED_LUA });
      redis.defineCommand('mlibFenceCheck', { numberOfKeys: 1, lua: CHECK_LUA });
    }
    this.commands = redis as unknown as FencedCommands;
  }

  /** The same writes under another fence. */
  withFence(fence: Fence): FencedWrites {
    return new FencedWrites(this.redis, fence);
  }

  /** Runs the writes (all or none); returns each one's reply. */
  async exec(writes: readonly Write[]): Promise<unknown[]> {
    if (writes.length === 0) return [];
    if (!this.fence) return this.multi(writes);
    if (!writes.every(([, key]) => sameSlot(key, this.fence!.key))) {
      // Another session's keys (a new session's first writes) cannot share the script on a cluster.
      await this.assertHeld();
      return this.multi(writes);
    }
    const keys = [this.fence.key];
    const argv: Array<string | number> = [this.fence.token];
    for (const [command, key, ...args] of writes) {
      let index = keys.indexOf(key);
      if (index < 0) index = keys.push(key) - 1;
      argv.push(args.length, command, index + 1, ...args);
    }
    try {
      return await this.commands.mlibFenced(keys.length, ...keys, ...argv);
    } catch (err) {
      throw this.translate(err);
    }
  }

  /**
   * For a write that cannot share the script (a key in another hash slot: a new session, a thread
   * binding): checks the fence just before it. Throws {@link LockLostError} when it is gone.
   */
  async assertHeld(): Promise<void> {
    if (!this.fence) return;
    try {
      await this.commands.mlibFenceCheck(this.fence.key, this.fence.token);
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** Whether an error from Redis (an EVAL of a fenced script) means the lock is gone. */
  isLockLost(err: unknown): boolean {
    return err instanceof Error && err.message.includes('MLIB_LOCK_LOST');
  }

  /** Turns the script's refusal into {@link LockLostError} and tells the fence. */
  translate(err: unknown): unknown {
    if (!this.isLockLost(err)) return err;
    this.fence?.lost();
    return new LockLostError();
  }

  private async multi(writes: readonly Write[]): Promise<unknown[]> {
    if (writes.length === 1) {
      const [command, key, ...args] = writes[0]!;
      return [await this.redis.call(command, key, ...args)];
    }
    const tx = this.redis.multi();
    for (const [command, key, ...args] of writes) tx.call(command, key, ...args);
    const results = (await tx.exec()) ?? [];
    return results.map(([err, reply]) => {
      if (err) throw err;
      return reply;
    });
  }
}

/** The hash tag (`{…}`) of a key, which decides its Redis Cluster slot; the whole key without one. */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** Whether two keys are in the same slot: may be written in one script. */
export function sameSlot(a: string, b: string): boolean {
  return hashTag(a) === hashTag(b);
}

/** `RPUSH key values…` as writes of at most {@link MAX_VALUES_PER_PUSH} values each. */
export function pushWrites(key: string, values: readonly string[]): Write[] {
  const writes: Write[] = [];
  for (let i = 0; i < values.length; i += MAX_VALUES_PER_PUSH)
    writes.push(['rpush', key, ...values.slice(i, i + MAX_VALUES_PER_PUSH)]);
  return writes;
}
