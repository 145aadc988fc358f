import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { App } from '../src/cli/app.js';
import {
  FAKE_HARDWARE,
  addJobsAccount,
  createHubJobsWorld,
  hubJobsRoutes,
  type FakeJob,
} from '../tests/fakes/hub-jobs-routes.js';
import { startLoopback, type Loopback } from '../tests/fakes/loopback-http.js';
import { benchApp } from './bench-app.js';
import { benchConfig } from './bench-env.js';
import type { CleanupStack } from './cleanup-stack.js';
import { startPrivateRedis } from './private-redis.js';
import { progress } from './progress.js';
import { callsBetween, readRedisCounters, type RedisCounters } from './redis-counters.js';
import { seedRunningJobs } from './running-jobs.js';
import { round } from './stats.js';
import { WorkerProcess } from './worker-process.js';
import { WORKER_ENV } from './worker-protocol.js';

const MB = 1024 * 1024;
const HUB_TOKEN = 'hf_benchJobWatchToken0000000000000000';
const NAMESPACE = 'bench';
const FLAVOR = 'a10g-small';
/** The watcher's default poll (JobWatcher): new watches are spread over one, as launches would be. */
const SPREAD_MS = 5_000;
/** With no watch yet: what the workers cost on their own (BullMQ's stalled checks, blocking reads). */
const IDLE_MS = 5_000;

export interface JobWatchResult extends Record<string, number> {
  jobs: number;
  windowS: number;
  redisCommandsPerS: number;
  idleRedisCommandsPerS: number;
  redisCpuPct: number;
  workerCpuMsPerS: number;
  workerCpuPctCore: number;
  idleWorkerCpuMsPerS: number;
  cardEditsPerJobPerMin: number;
  maxCardEditsPerJobPerMin: number;
  minCardEditsPerJobPerMin: number;
  hubRequestsPerS: number;
  hubJobReadsPerS: number;
  hubLogReadsPerS: number;
  pollIntervalS: number;
  peakRssMb: number;
  readyRssMb: number;
}

/** One reading of everything the window's figures are deltas of. */
interface Reading {
  at: number;
  redis: RedisCounters;
  cpuUs: number;
}

/**
 * (k) `jobs` HF jobs RUNNING at once, each watched for its own session, with the watcher's default
 * timing (a tick every 5 s, a card at most every 10 s): Redis commands per second (a private
 * redis-server, so its counters see only this), the worker's CPU (a child process: its
 * process.cpuUsage is the watching's, not the fake Hub's), job_update events per job per minute
 * (what a chat adapter edits its card on), and the Hub requests, over `windowS` after `warmupS`.
 */
export async function measureJobWatch(
  prefix: string,
  cleanup: CleanupStack,
  options: { jobs: number; warmupS: number; windowS: number },
): Promise<JobWatchResult> {
  const redis = await startPrivateRedis();
  cleanup.push('private redis-server (k)', () => redis.stop());
  const world = createHubJobsWorld();
  addJobsAccount(world, HUB_TOKEN, { user: NAMESPACE });
  const jobs = seedRunningJobs(world, { count: options.jobs, namespace: NAMESPACE, flavor: FLAVOR });
  const hub = await startLoopback(hubJobsRoutes(world));
  cleanup.push('fake Jobs API (k)', () => hub.close());

  const config = benchConfig(prefix);
  // The sessions' side (a gateway: no workers) starts the watches; the child takes every tick.
  const app = benchApp(redis.url, config, cleanup);
  const sessionIds = await startSessions(app, options.jobs);
  const worker = await WorkerProcess.start({
    kind: 'jobwatch',
    redisUrl: redis.url,
    prefix,
    concurrency: config.worker.concurrency,
    llmDelayMs: 0,
    env: { [WORKER_ENV.hubUrl]: hub.url, [WORKER_ENV.hubToken]: HUB_TOKEN },
  });
  cleanup.push('job watch worker child (k)', () => worker.stop());
  const meter = new Redis(redis.url, { maxRetriesPerRequest: null });
  cleanup.push('meter connection (k)', () => Promise.resolve(meter.disconnect()));
  const read = async (): Promise<Reading> => {
    const [counters, usage] = await Promise.all([readRedisCounters(meter), worker.usage()]);
    return { at: Date.now(), redis: counters, cpuUs: usage.userUs + usage.systemUs };
  };

  const idleStart = await read();
  await sleep(IDLE_MS);
  const idleEnd = await read();
  progress(`(k) ${options.jobs} sessions, worker pid ${worker.pid}; watching over ${SPREAD_MS / 1000} s`);

  const watchStart = Date.now();
  await startWatches(app, sessionIds, jobs);
  await sleep(Math.max(0, options.warmupS * 1000 - (Date.now() - watchStart)));
  const start = await read();
  progress(`(k) warm-up done; measuring ${options.windowS} s`);
  await sleep(options.windowS * 1000);
  const end = await read();

  // Checked after the window, so that these reads are not in its counts.
  const watched = await meter.hlen(`${prefix}:jobwatch`);
  if (watched !== options.jobs) throw new Error(`(k) ${watched} of ${options.jobs} jobs still watched`);
  const cards = await cardsPerSession(app, sessionIds, start.at, end.at);
  const hubIn = hubRequestsBetween(hub, start.at, end.at);
  const windowS = (end.at - start.at) / 1000;
  const idleS = (idleEnd.at - idleStart.at) / 1000;
  const commands = callsBetween(start.redis, end.redis);
  const total = commands.reduce((sum, [, calls]) => sum + calls, 0);
  const idleTotal = callsBetween(idleStart.redis, idleEnd.redis).reduce((sum, [, calls]) => sum + calls, 0);
  const top = commands
    .slice(0, 8)
    .map(([name, calls]) => `${name} ${round(calls / windowS, 1)}`)
    .join(', ');
  progress(`(k) Redis commands per second by name: ${top}`);
  const perMinute = cards.map((n) => (n * 60) / windowS);
  const workerCpuMsPerS = (end.cpuUs - start.cpuUs) / 1000 / windowS;
  return {
    jobs: options.jobs,
    windowS: round(windowS, 1),
    redisCommandsPerS: round(total / windowS, 1),
    idleRedisCommandsPerS: round(idleTotal / idleS, 1),
    redisCpuPct: round(((end.redis.cpuS - start.redis.cpuS) / windowS) * 100, 1),
    workerCpuMsPerS: round(workerCpuMsPerS, 1),
    workerCpuPctCore: round(workerCpuMsPerS / 10, 1),
    idleWorkerCpuMsPerS: round((idleEnd.cpuUs - idleStart.cpuUs) / 1000 / idleS, 1),
    cardEditsPerJobPerMin: round(perMinute.reduce((s, x) => s + x, 0) / perMinute.length, 2),
    maxCardEditsPerJobPerMin: round(Math.max(...perMinute), 2),
    minCardEditsPerJobPerMin: round(Math.min(...perMinute), 2),
    hubRequestsPerS: round(hubIn.all / windowS, 1),
    hubJobReadsPerS: round(hubIn.gets / windowS, 1),
    hubLogReadsPerS: round(hubIn.logs / windowS, 1),
    // What each job's chain really achieved (the watcher asks for 5 s; a busy worker stretches it).
    pollIntervalS: round(windowS / (hubIn.gets / options.jobs), 2),
    peakRssMb: round(worker.peakRss / MB, 1),
    readyRssMb: round(worker.readyRss / MB, 1),
  };
}

async function startSessions(app: App, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Math.min(100, count - i);
    ids.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () => app.startSession({ owner: 'bench', platform: 'bench' })),
      )),
    );
  }
  return ids;
}

/**
 * One watch per session, spread evenly over one poll interval: jobs are launched one by one, and
 * 500 chains started in the same millisecond would tick in lockstep, a burst no deployment sees.
 */
async function startWatches(
  app: App,
  sessionIds: readonly string[],
  jobs: readonly FakeJob[],
): Promise<void> {
  const hardware = FAKE_HARDWARE.find((entry) => entry.name === FLAVOR) as { unitCostUSD: number };
  const usdPerSecond = hardware.unitCostUSD / 60;
  const started = Date.now();
  for (const [i, sessionId] of sessionIds.entries()) {
    const due = started + (i * SPREAD_MS) / sessionIds.length;
    if (due > Date.now()) await sleep(due - Date.now());
    await app.jobs.watch(sessionId, {
      namespace: NAMESPACE,
      jobId: jobs[i]!.id,
      flavor: FLAVOR,
      usdPerSecond,
    });
  }
}

/** Each session's job_update events whose stream ids fall in [fromMs, toMs). */
async function cardsPerSession(
  app: App,
  sessionIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<number[]> {
  const pipeline = app.redis.pipeline();
  for (const id of sessionIds) pipeline.xrange(app.keys.session(id).events, String(fromMs), String(toMs - 1));
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([err, entries]) => {
    if (err) throw err;
    return (entries as Array<[string, string[]]>).filter(([, fields]) => {
      const body = fieldOf(fields, 'e');
      return body !== undefined && (JSON.parse(body) as { type?: unknown }).type === 'job_update';
    }).length;
  });
}

function hubRequestsBetween(hub: Loopback, fromMs: number, toMs: number) {
  const inWindow = hub.requests.filter((r) => r.receivedAt >= fromMs && r.receivedAt < toMs);
  return {
    all: inWindow.length,
    gets: inWindow.filter((r) => /^\/api\/jobs\/[^/]+\/[^/]+$/.test(r.path)).length,
    logs: inWindow.filter((r) => r.path.endsWith('/logs')).length,
  };
}

function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
