/**
 * hf_jobs against a loopback Jobs API that speaks what @huggingface/hub and huggingface_hub send and
 * read: whoami, the hardware price list, launches with labels, listing by label, job state that moves
 * over time, SSE logs (open while running, broken on demand), cancel, and scheduled jobs. Call
 * {@link useJobsWorld} at the top of a test file and {@link start} in each test; the bindings below
 * are live (ESM), so a test reads the current world, fake and tool through them.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect } from 'vitest';
import type { AnyToolSpec, ToolResult } from '../../src/core/tool-spec.js';
import { DEFAULT_JOBS_CONFIG, jobsTools, type JobsConfig } from '../../src/tools/jobs/index.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import {
  addJobsAccount,
  createHubJobsWorld,
  fakeJobId,
  hubJobsRoutes,
  type FakeJob,
  type HubJobsWorld,
} from '../fakes/hub-jobs-routes.js';
import { startLoopback, type Loopback, type Route } from '../fakes/loopback-http.js';
import { toolHarness, type ToolHarness } from './tool-harness.js';

export const OWNER = 'hf_ownerToken0123456789abcdefghijklmn';
export const UNKNOWN = 'hf_unknownToken0123456789abcdefghijk';
const TOKENS = [OWNER, UNKNOWN];

export let world: HubJobsWorld;
export let hub: Loopback;
export let harness: ToolHarness;
export let tool: AnyToolSpec;

interface StartOptions {
  token?: string | undefined;
  jobs?: Partial<JobsConfig>;
  timeoutMs?: number;
  /** Routes that answer before the fake's own. */
  extra?: Route[];
}

export async function start(options: StartOptions = {}): Promise<void> {
  hub = await startLoopback([...(options.extra ?? []), ...hubJobsRoutes(world)]);
  harness = toolHarness({ hub: { url: hub.url, token: 'token' in options ? options.token : OWNER } });
  [tool] = jobsTools(harness.services, {
    jobs: { ...DEFAULT_JOBS_CONFIG, ...options.jobs },
    timeoutMs: options.timeoutMs ?? 5_000,
    logs: { maxMs: 1_500, idleMs: 300 },
  }) as [AnyToolSpec];
}

/** Runs the tool as the agent does, with a tool call id of the test's choosing. */
export function call(
  args: Record<string, unknown>,
  callId = `toolu_${randomUUID().slice(0, 12)}`,
  signal?: AbortSignal,
) {
  return tool.execute(tool.parameters.parse(args), {
    sessionId: 'jobs-session',
    toolCallId: callId,
    signal: signal ?? new AbortController().signal,
    log: () => Promise.resolve(),
    emit: () => Promise.resolve(),
    state: { get: () => Promise.resolve(undefined), set: () => Promise.resolve() },
  });
}

export async function run(args: Record<string, unknown>, callId?: string): Promise<string> {
  const result: ToolResult = await call(args, callId);
  expect(result.isError).not.toBe(true);
  expectClean(result.output);
  return result.output;
}

/** The message a failing call gives the model (the agent turns the throw into the call's result). */
export async function failure(
  args: Record<string, unknown>,
  callId?: string,
  maxChars = 700,
): Promise<string> {
  const error = await call(args, callId).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expectClean(message);
  expect(message.length).toBeLessThan(maxChars);
  return message;
}

function expectClean(text: string): void {
  for (const token of TOKENS) expect(text).not.toContain(token);
  expect(text.length).toBeLessThanOrEqual(TOOL_RESULT_CHARS);
}

export function approval(args: Record<string, unknown>): string | undefined {
  return harness.approval(tool, args);
}

export function lastRunBody(): Record<string, unknown> {
  const request = world.runRequests.at(-1);
  if (!request) throw new Error('no launch was sent');
  return request.json as Record<string, unknown>;
}

export function onlyJob(): FakeJob {
  expect(world.jobs).toHaveLength(1);
  return world.jobs[0] as FakeJob;
}

/** A job already on the Hub (launched by someone, or by an earlier call). */
export function seedJob(fields: Partial<FakeJob> = {}): FakeJob {
  const now = Date.now();
  const job: FakeJob = {
    id: fakeJobId(),
    namespace: 'intern',
    createdAt: new Date(now - 60_000).toISOString(),
    createdMs: now - 60_000,
    startedAt: null,
    finishedAt: null,
    dockerImage: 'python:3.12',
    spaceId: null,
    command: ['python', '-c', 'print(1)'],
    arguments: [],
    environment: {},
    secretValues: {},
    flavor: 'cpu-basic',
    timeoutSeconds: 1_800,
    labels: {},
    owner: { id: 'id-intern', name: 'intern', type: 'user' },
    initiator: { type: 'user', id: 'id-intern', name: 'intern' },
    timeline: [{ stage: 'RUNNING' }],
    gets: 0,
    canceled: false,
    logs: ['hello'],
    ...fields,
  };
  world.jobs.push(job);
  return job;
}

export const gpuRun = {
  operation: 'run',
  script: 'print("training")\n',
  dependencies: ['trl'],
  hardware_flavor: 'a10g-large',
  timeout: '2h',
};

/** Closes the harness and the fake (tests that start twice call it in between). */
export async function stop(): Promise<void> {
  await harness?.close();
  await hub?.close();
  harness = undefined as unknown as ToolHarness;
  hub = undefined as unknown as Loopback;
}

/** A fresh Jobs world (one account, `intern`, in org `lab`) before each test of the file; stopped after. */
export function useJobsWorld(): void {
  beforeEach(() => {
    world = createHubJobsWorld();
    addJobsAccount(world, OWNER, { user: 'intern', orgs: ['lab'] });
  });
  afterEach(async () => {
    await stop();
  });
}
