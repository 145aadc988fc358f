import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { MlInternError } from '../core/errors.js';
import { batched } from './write-batch.js';

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
 * Write ids kept per session to recognise a resent write. ioredis resends a command whose reply was
 * lost when the connection dropped (a Redis restart), though Redis may have run it: without this, an
 * event, a history message or a mailbox pop would happen twice.
 */
export const APPLIED_WINDOW = 256;
/** How long the applied-write ids of a quiet session are kept. */
export const APPLIED_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Lua: marks write id ARGV[1] as applied in the list KEYS[1]; true when it already was (a resend).
 * Shared by the scripts below.
 */
const APPLIED_LUA = `
local function already_applied(key, id)
  if redis.call('LPOS', key, id) then return true end
  redis.call('LPUSH', key, id)
  redis.call('LTRIM', key, 0, ${APPLIED_WINDOW - 1})
  redis.call('PEXPIRE', key, ${APPLIED_TTL_MS})
  return false
end
`;

/**
 * The pseudo-command that appends an event to a session's stream: `[EMIT, streamKey, sessionKey,
 * maxLen, at, json]`. It numbers the event from the session hash (`seq`) and XADDs it to the capped
 * stream; its reply is `[seq, streamId]` (`[0, '']` when resent). The event store builds it.
 */
export const EMIT = 'mlib_emit';

/**
 * The pseudo-command that ends a drain: `[UNLOCK_IF_EMPTY, lockKey, mailboxKey]` deletes the (fenced)
 * lock when the mailbox is empty, answering 1, and leaves both alone otherwise, answering 0. The
 * lock's holder then stops renewing it (`HeldLock.forget`) instead of releasing it in a call of its own.
 */
export const UNLOCK_IF_EMPTY = 'mlib_unlock_if_empty';

/** Pseudo-commands whose first argument is a key too. */
const KEY_ARG_COMMANDS: ReadonlySet<string> = new Set([EMIT, UNLOCK_IF_EMPTY]);

/**
 * Checks the fence (KEYS[1] holds ARGV[1]; no check when ARGV[1] is ''), then runs each write once:
 * a resent call (same write id ARGV[2], kept in KEYS[2]) runs only its reads. Then per write: the
 * number of arguments after the key, the command, the key's index in KEYS, the arguments. An
 * {@link EMIT}'s first argument is the index of its session key, an {@link UNLOCK_IF_EMPTY}'s that of
 * its mailbox.
 */
const FENCED_LUA = `${APPLIED_LUA}
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('MLIB_LOCK_LOST') end
local resent = already_applied(KEYS[2], ARGV[2])
local reads = { lindex = true, llen = true, get = true, hget = true, hmget = true, hgetall = true, lrange = true }
local out = {}
local i = 3
while i <= #ARGV do
  local m = tonumber(ARGV[i])
  local command = string.lower(ARGV[i + 1])
  local key = KEYS[tonumber(ARGV[i + 2])]
  if command == '${EMIT}' then
    if resent then out[#out + 1] = { 0, '' } else
      local seq = redis.call('HINCRBY', KEYS[tonumber(ARGV[i + 3])], 'seq', 1)
      local id = redis.call('XADD', key, 'MAXLEN', '~', ARGV[i + 4], '*', 'seq', seq, 'at', ARGV[i + 5], 'e', ARGV[i + 6])
      out[#out + 1] = { seq, id }
    end
  elseif command == '${UNLOCK_IF_EMPTY}' then
    if resent then out[#out + 1] = false
    elseif redis.call('LLEN', KEYS[tonumber(ARGV[i + 3])]) == 0 then redis.call('DEL', key); out[#out + 1] = 1
    else out[#out + 1] = 0 end
  else
    local args = { command, key }
    for j = 1, m do args[j + 2] = ARGV[i + 2 + j] end
    if resent and not reads[command] then out[#out + 1] = false else out[#out + 1] = redis.call(unpack(args)) end
  end
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

  /**
   * Runs the writes (all or none, and once: see {@link APPLIED_WINDOW}); returns each one's reply.
   * All keys must share one hash slot, except under a fence, where another session's keys (a new
   * session's first writes) are written after a check of the fence, in a MULTI.
   */
  async exec(writes: readonly Write[]): Promise<unknown[]> {
    const first = writes[0];
    if (first === undefined) return [];
    const anchor = this.fence?.key ?? first[1];
    if (!writes.every(([, key]) => sameSlot(key, anchor))) {
      if (!this.fence) throw new Error('writes across hash slots need a fence (or separate calls)');
      await this.assertHeld();
      return this.multi(writes);
    }
    try {
      // A run's writes of one tick share one script (see `batched`).
      return await (this.fence
        ? batched(this.fence, writes, (all) => this.send(anchor, all))
        : this.send(anchor, writes));
    } catch (err) {
      throw this.translate(err);
    }
  }

  private send(anchor: string, writes: readonly Write[]): Promise<unknown[]> {
    const keys = [anchor, appliedKeyOf(anchor)];
    const indexOf = (key: string) => {
      const index = keys.indexOf(key);
      return (index < 0 ? keys.push(key) - 1 : index) + 1;
    };
    const argv: Array<string | number> = [this.fence?.token ?? '', randomUUID()];
    for (const [command, key, ...args] of writes) {
      const index = indexOf(key);
      if (KEY_ARG_COMMANDS.has(command))
        argv.push(args.length, command, index, indexOf(String(args[0])), ...args.slice(1));
      else argv.push(args.length, command, index, ...args);
    }
    return this.commands.mlibFenced(keys.length, ...keys, ...argv);
  }

  /**
   * One read (`get`, `hget`, `hmget`, …): under a fence it joins the run's script of this tick
   * (see `batched`), so it costs no command of its own; otherwise it is a plain command.
   */
  async read(command: string, key: string, ...args: Array<string | number>): Promise<unknown> {
    if (this.fence && sameSlot(key, this.fence.key)) return (await this.exec([[command, key, ...args]]))[0];
    return this.redis.call(command, key, ...args);
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
    if (writes.some(([command]) => KEY_ARG_COMMANDS.has(command)))
      throw new Error('a pseudo-command cannot go in a MULTI');
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

/**
 * The list of applied write ids of the session a key belongs to: `<prefix>:session:{id}:applied` for
 * every key of that session (what follows the hash tag is replaced), so all its writes share it.
 */
export function appliedKeyOf(key: string): string {
  const close = key.indexOf('}', key.indexOf('{') + 1);
  return key.indexOf('{') >= 0 && close > 0 ? `${key.slice(0, close + 1)}:applied` : `${key}:applied`;
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
