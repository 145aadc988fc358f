import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { RecordedRequest } from '../tests/fakes/fake-anthropic.js';
import type { FakeCall } from '../tests/fakes/fake-slack.js';
import { progress } from './progress.js';
import { percentile } from './stats.js';

/**
 * Where (i)'s time went, printed with `BENCH_TIMELINE=1`: for each step of a mention's way (its
 * session's `ready`, the worker's `processing`, the model request, each Slack method, the answer),
 * when it happened across the burst, as ms after the first POST (min / p10 / p50 / p90 / max), and
 * the CPU each process of the group used. This is how the note's account of the burst was measured.
 */
export class BurstTimeline {
  private readonly cpuBefore: Map<number, number>;

  constructor(private readonly pids: { command: number; all: number[] }) {
    this.cpuBefore = new Map([...pids.all, process.pid].map((pid) => [pid, cpuMsOf(pid)]));
  }

  static enabled(): boolean {
    return process.env.BENCH_TIMELINE === '1';
  }

  async print(input: {
    startedAt: number;
    redisUrl: string;
    prefix: string;
    llmRequests: readonly RecordedRequest[];
    slackCalls: readonly FakeCall[];
    answeredAt: Iterable<number>;
    /** The mention text that names each thread (`burst 7`) → its ts. */
    threadOfText: ReadonlyMap<string, string>;
  }): Promise<void> {
    const { startedAt } = input;
    const after = (t: number) => t - startedAt;
    const llm = input.llmRequests.filter((r) => r.receivedAt >= startedAt);
    line(
      'model requests',
      llm.map((r) => after(r.receivedAt)),
    );
    const byMethod = new Map<string, number[]>();
    for (const call of input.slackCalls) push(byMethod, call.method, after(call.at));
    for (const [method, times] of byMethod) line(method, times);

    const { byType, processingAt } = await eventTimes(input.redisUrl, input.prefix, startedAt);
    for (const [type, times] of byType) line(`event ${type}`, times);
    // From the worker's `processing` to the fake model having the request: the turn's start.
    const gaps: number[] = [];
    for (const request of llm) {
      const named = /burst \d+/.exec(JSON.stringify((request.body as { messages?: unknown }).messages));
      const thread = named ? input.threadOfText.get(named[0]) : undefined;
      const processing = thread === undefined ? undefined : processingAt.get(thread);
      if (processing !== undefined) gaps.push(after(request.receivedAt) - processing);
    }
    line('processing → model request', gaps);
    line('answered', [...input.answeredAt].map(after));
    const cpu = [...this.cpuBefore].map(([pid, before]) => {
      const name = pid === this.pids.command ? 'command' : pid === process.pid ? 'bench' : `pid ${pid}`;
      return `${name} ${cpuMsOf(pid) - before}`;
    });
    progress(`(i) timeline: CPU ms ${cpu.join(', ')}`);
  }
}

function line(label: string, times: number[]): void {
  const marks = [0, 0.1, 0.5, 0.9, 1].map((p) => Math.round(percentile(times, p)));
  progress(`(i) timeline: ${label} (${times.length}) ${marks.join(' / ')}`);
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Every session event of the run after `startedAt`, by type; and each thread's `processing` time. */
async function eventTimes(redisUrl: string, prefix: string, startedAt: number) {
  const redis = new Redis(redisUrl);
  const byType = new Map<string, number[]>();
  const processingAt = new Map<string, number>();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:session:*:events`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const thread = await redis.hget(key.slice(0, -':events'.length), 'thread');
        for (const [, fields] of await redis.xrange(key, '-', '+')) {
          const field = new Map<string, string>();
          for (let i = 0; i + 1 < fields.length; i += 2) field.set(fields[i]!, fields[i + 1]!);
          const at = Number(field.get('at')) - startedAt;
          if (!(at >= 0)) continue;
          const type = (JSON.parse(field.get('e') ?? '{}') as { type?: string }).type ?? '?';
          push(byType, type, at);
          if (type === 'processing' && thread) processingAt.set(thread, at);
        }
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return { byType, processingAt };
}

/** User + system CPU of a process so far, ms (Linux `/proc`; 0 once it is gone). */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return 0;
  }
}
