import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyToolSpec, ToolResult } from '../../src/core/tool-spec.js';
import {
  approvalOf,
  CALL_LABEL,
  callLabelValue,
  DEFAULT_JOBS_CONFIG,
  estimateJobCall,
  estimateJobCost,
  FALLBACK_HARDWARE,
  FALLBACK_HARDWARE_TAKEN_AT,
  findFlavor,
  formatDuration,
  formatUsd,
  hardwareCatalog,
  isGpuFlavor,
  jobCostSoFar,
  JobsApi,
  jobsTools,
  parseTimeout,
  type HfJobsArgs,
  type JobHardware,
  type JobsConfig,
} from '../../src/tools/jobs/index.js';
import { INLINE_SCRIPT_PATH, QUIET_ENV, UV_IMAGE } from '../../src/tools/jobs/job-program.js';
import { ToolInputError } from '../../src/tools/shared/service-error.js';
import { TOOL_RESULT_CHARS } from '../../src/tools/shared/trim-output.js';
import {
  addJobsAccount,
  createHubJobsWorld,
  fakeJobId,
  findJob,
  hubJobsRoutes,
  scriptJob,
  type FakeJob,
  type HubJobsWorld,
} from '../fakes/hub-jobs-routes.js';
import { startLoopback, type Loopback, type LoopbackAnswer, type Route } from '../fakes/loopback-http.js';
import { toolHarness, type ToolHarness } from '../helpers/tool-harness.js';

// hf_jobs against a loopback Jobs API that speaks what @huggingface/hub and huggingface_hub send and
// read: whoami, the hardware price list, launches with labels, listing by label, job state that moves
// over time, SSE logs (open while running, broken on demand), cancel, and scheduled jobs.

const OWNER = 'hf_ownerToken0123456789abcdefghijklmn';
const UNKNOWN = 'hf_unknownToken0123456789abcdefghijk';
const TOKENS = [OWNER, UNKNOWN];

let world: HubJobsWorld;
let hub: Loopback;
let harness: ToolHarness;
let tool: AnyToolSpec;

interface StartOptions {
  token?: string | undefined;
  jobs?: Partial<JobsConfig>;
  timeoutMs?: number;
  /** Routes that answer before the fake's own. */
  extra?: Route[];
}

async function start(options: StartOptions = {}): Promise<void> {
  hub = await startLoopback([...(options.extra ?? []), ...hubJobsRoutes(world)]);
  harness = toolHarness({ hub: { url: hub.url, token: 'token' in options ? options.token : OWNER } });
  [tool] = jobsTools(harness.services, {
    jobs: { ...DEFAULT_JOBS_CONFIG, ...options.jobs },
    timeoutMs: options.timeoutMs ?? 5_000,
    logs: { maxMs: 1_500, idleMs: 300 },
  }) as [AnyToolSpec];
}

/** Runs the tool as the agent does, with a tool call id of the test's choosing. */
function call(
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

async function run(args: Record<string, unknown>, callId?: string): Promise<string> {
  const result: ToolResult = await call(args, callId);
  expect(result.isError).not.toBe(true);
  expectClean(result.output);
  return result.output;
}

/** The message a failing call gives the model (the agent turns the throw into the call's result). */
async function failure(args: Record<string, unknown>, callId?: string, maxChars = 700): Promise<string> {
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

function approval(args: Record<string, unknown>): string | undefined {
  return harness.approval(tool, args);
}

function lastRunBody(): Record<string, unknown> {
  const request = world.runRequests.at(-1);
  if (!request) throw new Error('no launch was sent');
  return request.json as Record<string, unknown>;
}

function onlyJob(): FakeJob {
  expect(world.jobs).toHaveLength(1);
  return world.jobs[0] as FakeJob;
}

/** A job already on the Hub (launched by someone, or by an earlier call). */
function seedJob(fields: Partial<FakeJob> = {}): FakeJob {
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

const gpuRun = {
  operation: 'run',
  script: 'print("training")\n',
  dependencies: ['trl'],
  hardware_flavor: 'a10g-large',
  timeout: '2h',
};

beforeEach(() => {
  world = createHubJobsWorld();
  addJobsAccount(world, OWNER, { user: 'intern', orgs: ['lab'] });
});
afterEach(async () => {
  await stop();
});

/** Closes the harness and the fake (tests that start twice call it in between). */
async function stop(): Promise<void> {
  await harness?.close();
  await hub?.close();
  harness = undefined as unknown as ToolHarness;
  hub = undefined as unknown as Loopback;
}

describe('hf_jobs run', () => {
  it('launches an inline uv script: uv image, --with deps, base64 script, quiet env, token as a secret, the call label', async () => {
    await start();
    const script = 'import os\nprint("it\'s $HOME `date` \\"quoted\\"")\nprint("naïve ✓")\n';
    const output = await run(
      {
        operation: 'run',
        script,
        dependencies: ['trl', 'transformers>=4.40'],
        hardware_flavor: 'a10g-large',
        timeout: '2h',
        env: { WANDB_MODE: 'offline', HF_TOKEN: OWNER, STEPS: 10 },
      },
      'toolu_01AbCdEf',
    );
    const body = lastRunBody();
    expect(body.dockerImage).toBe(UV_IMAGE);
    expect(body.flavor).toBe('a10g-large');
    expect(body.timeoutSeconds).toBe(7_200);
    expect(body.secrets).toEqual({ HF_TOKEN: OWNER });
    expect(body.labels).toEqual({ [CALL_LABEL]: 'toolu_01AbCdEf' });
    expect(body.environment).toEqual({ ...QUIET_ENV, WANDB_MODE: 'offline', STEPS: '10' });
    const command = body.command as string[];
    expect(command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(command[2]).toContain(`uv run --with trl --with 'transformers>=4.40' ${INLINE_SCRIPT_PATH}`);
    const encoded = /printf %s '([A-Za-z0-9+/=]+)'/.exec(command[2] ?? '')?.[1] ?? '';
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe(script);
    // The token is a secret only: not in the environment, the labels, the command, or the result.
    for (const field of [body.environment, body.labels, body.command]) {
      expect(JSON.stringify(field)).not.toContain(OWNER);
    }
    const job = onlyJob();
    expect(output).toContain(`Job launched: ${job.id} (SCHEDULING)`);
    expect(output).toContain(`https://huggingface.co/jobs/intern/${job.id}`);
    expect(output).toContain('a10g-large (Nvidia A10G - large, 1x A10G 24 GB); timeout 2h');
    expect(output).toContain('at most $3.00 ($0.025/min × 2h)');
    expect(output).toContain('HF_TOKEN reaches the job as a secret (left out of env: HF_TOKEN)');
    expect(output).toContain(`${CALL_LABEL}=toolu_01AbCdEf`);
    // The launch answered at once: no read of the job, no logs.
    expect(hub.requests.some((r) => r.path === `/api/jobs/intern/${job.id}`)).toBe(false);
  });

  it('the inline command survives a real shell: the script arrives byte for byte, the deps as words', async () => {
    await start();
    const script = 'print(\'single\' + "double" + `back`)\n$VAR ${NOT} $(not run)\n\\n end\n';
    await run({ operation: 'run', script, dependencies: ['a b', "it's", 'x>=1;rm -rf /'] });
    const command = lastRunBody().command as string[];
    const dir = await mkdtemp(join(tmpdir(), 'mlib-uv-'));
    try {
      // A stand-in `uv` that prints its arguments, then the script file it was given.
      await writeFile(
        join(dir, 'uv'),
        '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; last=$a; done\ncat "$last"\n',
      );
      await chmod(join(dir, 'uv'), 0o755);
      const { stdout } = await promisify(execFile)('/bin/sh', ['-c', command[2] ?? ''], {
        env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` },
      });
      expect(stdout).toContain("[run]\n[--with]\n[a b]\n[--with]\n[it's]\n[--with]\n[x>=1;rm -rf /]\n");
      expect(stdout).toContain(`[${INLINE_SCRIPT_PATH}]\n`);
      expect(stdout.endsWith(script)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(INLINE_SCRIPT_PATH, { force: true });
    }
  });

  it('runs a script from a URL with uv, and a Docker command (list or shell string) in its image', async () => {
    await start({ jobs: { confirmCpuJobs: false } });
    const url = 'https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py';
    await run({ operation: 'run', script: url, dependencies: ['trl'], hardware_flavor: 't4-small' });
    expect(lastRunBody().command).toEqual(['uv', 'run', '--with', 'trl', url]);
    expect(lastRunBody().dockerImage).toBe(UV_IMAGE);
    expect(lastRunBody().timeoutSeconds).toBe(1_800);

    const output = await run({
      operation: 'run',
      command: ['duckdb', '-c', 'select 1 + 2'],
      image: 'duckdb/duckdb',
      timeout: 600,
    });
    expect(lastRunBody()).toMatchObject({
      dockerImage: 'duckdb/duckdb',
      command: ['duckdb', '-c', 'select 1 + 2'],
      flavor: 'cpu-basic',
      timeoutSeconds: 600,
      secrets: { HF_TOKEN: OWNER },
      environment: QUIET_ENV,
    });
    expect(output).toContain('- Runs: command in duckdb/duckdb');
    expect(output).toContain('at most $0.01');

    await run({ operation: 'run', command: 'echo "$HOME" && nvidia-smi' });
    expect(lastRunBody()).toMatchObject({
      dockerImage: 'python:3.12',
      command: ['/bin/sh', '-c', 'echo "$HOME" && nvidia-smi'],
    });
    for (const request of world.runRequests) {
      const body = request.json as Record<string, unknown>;
      expect(JSON.stringify([body.environment, body.labels, body.command])).not.toContain(OWNER);
      expect((body.labels as Record<string, string>)[CALL_LABEL]).toMatch(/^toolu_/);
    }
  });

  it('a second run with the same tool call id finds the job by its label and does not launch again', async () => {
    await start();
    const first = await run(gpuRun, 'toolu_retry');
    const second = await run(gpuRun, 'toolu_retry');
    expect(world.runRequests).toHaveLength(1);
    const job = onlyJob();
    expect(first).toContain(`Job launched: ${job.id}`);
    expect(second).toContain(
      `This call already launched job ${job.id} (found by its label ${CALL_LABEL}=toolu_retry)`,
    );
    const lookups = hub.requests.filter((r) => r.method === 'GET' && r.path === '/api/jobs/intern');
    expect(lookups.map((r) => r.query.getAll('label'))).toEqual([
      [`${CALL_LABEL}=toolu_retry`],
      [`${CALL_LABEL}=toolu_retry`],
    ]);
    // Another call is another job.
    await run(gpuRun, 'toolu_other');
    expect(world.runRequests).toHaveLength(2);
  });

  it('a worker killed while the POST is in flight leaves one job: the recovered call finds it', async () => {
    await start();
    world.holdRun = { hang: true };
    const kill = new AbortController();
    const dying = call(gpuRun, 'toolu_killed', kill.signal).then(
      () => 'finished',
      (err: unknown) => (err as Error).message,
    );
    await expect.poll(() => world.runRequests.length, { timeout: 5_000 }).toBe(1);
    kill.abort();
    expect(await dying).toMatch(/^Stopped: the turn was interrupted\./);
    delete world.holdRun;
    const recovered = await run(gpuRun, 'toolu_killed');
    const job = onlyJob();
    expect(recovered).toContain(`This call already launched job ${job.id}`);
    expect(world.runRequests).toHaveLength(1);
  });

  it('a POST that times out is checked by label: the job that landed is returned, not launched again', async () => {
    await start({ timeoutMs: 400 });
    world.holdRun = { hang: true };
    const output = await run(gpuRun, 'toolu_lost');
    const job = onlyJob();
    expect(output).toContain(`Job launched: ${job.id}`);
    expect(output).toContain("the Hub's answer was lost, and the job was found by its label");
    expect(world.runRequests).toHaveLength(1);
  });

  it('a launch the Hub fails (5xx) and that did not land says to check ps before launching again', async () => {
    await start({
      extra: [
        {
          method: 'POST',
          path: '/api/jobs/:namespace',
          handle: () => ({ status: 503, body: { error: 'Service unavailable' } }),
        },
      ],
    });
    expect(await failure(gpuRun)).toMatch(
      /failed \(503\): Service unavailable; try again later\. The launch may still have gone through: call ps before launching it again/,
    );
    // Checked by label before the launch and once more after the failure.
    expect(hub.requests.filter((r) => r.method === 'GET' && r.path === '/api/jobs/intern')).toHaveLength(2);
  });

  it('a namespace from the config: an org of the token owner works, any other is refused before launching', async () => {
    await start({ jobs: { namespace: 'lab' } });
    const output = await run(gpuRun);
    expect(world.runRequests.at(-1)?.path).toBe('/api/jobs/lab');
    expect(output).toContain(`https://huggingface.co/jobs/lab/${onlyJob().id}`);
    await stop();

    await start({ jobs: { namespace: 'someone-else' } });
    expect(await failure(gpuRun)).toMatch(
      /HF_TOKEN cannot use the jobs namespace "someone-else" \(config jobs\.namespace\): the token belongs to intern, who can run jobs only under "intern", "lab"/,
    );
    expect(world.runRequests).toHaveLength(1);
  });

  it('the namespace lookup (whoami-v2) is made once and cached', async () => {
    await start();
    await run({ operation: 'ps' });
    await run({ operation: 'ps' });
    expect(hub.requests.filter((r) => r.path === '/api/whoami-v2')).toHaveLength(1);
  });

  it('an unknown flavor is refused with the valid ones and their prices, before anything is sent', async () => {
    await start();
    const message = await failure({ ...gpuRun, hardware_flavor: 'a10g-huge' });
    expect(message).toMatch(
      /^Unknown hardware flavor "a10g-huge"\. Valid flavors: cpu-basic \(\$0\.01\/h\), cpu-upgrade/,
    );
    expect(message).toContain('a10g-large ($1.50/h)');
    expect(message).toContain('h200 ($5.00/h)');
    expect(world.runRequests).toHaveLength(0);
  });

  it('an unreadable timeout, script with command, or neither: input errors with examples, nothing sent', async () => {
    await start();
    expect(await failure({ ...gpuRun, timeout: 'soon' })).toMatch(
      /timeout "soon" is not a duration: give a number with s, m, h or d \("90s", "30m", "2h", "1d"\) or a bare number of seconds \("3600"\)/,
    );
    expect(await failure({ operation: 'run', script: 'print(1)\n', command: ['ls'] })).toMatch(
      /either script .* or command/,
    );
    expect(await failure({ operation: 'run' })).toMatch(/run needs script .* or command/);
    expect(await failure({ operation: 'run', command: ['ls'], dependencies: ['trl'] })).toMatch(
      /dependencies apply to a script only/,
    );
    expect(await failure({ operation: 'run', script: 'x = 1\n'.repeat(20_000) })).toMatch(
      /over the 90,000 an inline script can be/,
    );
    expect(world.runRequests).toHaveLength(0);
  });

  it('402 billing required: a clear message with the billing link', async () => {
    await start();
    world.unpaid.add('intern');
    const message = await failure(gpuRun);
    expect(message).toMatch(
      /namespace "intern" has no credits or payment method for Jobs \(402, billing required\)/,
    );
    expect(message).toContain('https://huggingface.co/settings/billing');
    expect(world.jobs).toHaveLength(0);
  });

  it('a 403 for the namespace at launch says the token cannot use it', async () => {
    await start({
      extra: [
        {
          method: 'POST',
          path: '/api/jobs/:namespace',
          handle: () => ({ status: 403, body: { error: 'Forbidden' } }),
        },
      ],
    });
    expect(await failure(gpuRun)).toMatch(
      /refused access \(403\): Forbidden\. HF_TOKEN cannot run jobs in this namespace/,
    );
  });

  it('without HF_TOKEN, or with a token the Hub refuses, it says what to set', async () => {
    await start({ token: undefined });
    expect(await failure(gpuRun)).toMatch(/Hugging Face Jobs need a token, and HF_TOKEN is not set/);
    await stop();
    await start({ token: UNKNOWN });
    expect(await failure({ operation: 'ps' })).toMatch(
      /refused the request \(401, not authenticated\): Invalid credentials in Authorization header\. Set HF_TOKEN to a valid Hugging Face token/,
    );
  });
});

describe('hf_jobs reads', () => {
  it('ps lists the namespace jobs newest first, marks the intern ones, and stays under the cap', async () => {
    await start();
    for (let i = 0; i < 120; i++) {
      seedJob({
        createdAt: new Date(Date.now() - (200 - i) * 60_000).toISOString(),
        command: ['python', '-c', `print(${i}) # ${'x'.repeat(200)}`],
        labels: i % 2 ? { [CALL_LABEL]: `toolu_${i}` } : {},
        timeline: [{ stage: i % 3 ? 'COMPLETED' : 'RUNNING' }],
      });
    }
    const output = await run({ operation: 'ps' });
    expect(output).toMatch(/^\*\*Jobs of intern\*\* \(120; 40 not finished\)/);
    const [older, newer, newest] = world.jobs.slice(-3) as [FakeJob, FakeJob, FakeJob];
    expect(output.indexOf(newest.id)).toBeLessThan(output.indexOf(newer.id));
    expect(output.indexOf(newer.id)).toBeLessThan(output.indexOf(older.id));
    expect(output).toContain(`| ${newest.id} | COMPLETED (intern) | cpu-basic |`);
    expect(output).toContain(`| ${newer.id} | COMPLETED | cpu-basic |`);
    expect(output).toContain(`| ${older.id} | RUNNING (intern) | cpu-basic |`);
    expect(output).toMatch(/\| python -c print\(119\) # x+… \|/);
    expect(output).toContain('90 older jobs not shown.');
  });

  it('inspect follows a job whose stage changes over time: RUNNING, RUNNING, then COMPLETED with its cost', async () => {
    await start();
    const job = seedJob({
      flavor: 'a10g-large',
      environment: { UV_NO_PROGRESS: '1' },
      secretValues: { HF_TOKEN: OWNER },
    });
    scriptJob(world, job.id, [{ stage: 'RUNNING', gets: 2 }, { stage: 'COMPLETED' }]);
    const first = await run({ operation: 'inspect', job_id: job.id });
    expect(first).toMatch(new RegExp(`^\\*\\*Job ${job.id}\\*\\*: RUNNING`));
    expect(first).toContain(`- URL: https://huggingface.co/jobs/intern/${job.id}`);
    expect(first).toContain('- Flavor: a10g-large (Nvidia A10G - large, 1x A10G 24 GB)');
    expect(first).toContain('- Secrets: HF_TOKEN (values never shown)');
    expect(first).toContain('- Environment: UV_NO_PROGRESS');
    expect(first).toMatch(/- Ran so far: \d+s, about \$0\.\d\d so far/);
    expect(await run({ operation: 'inspect', job_id: job.id })).toContain(': RUNNING');
    const done = await run({ operation: 'inspect', job_id: job.id });
    expect(done).toContain(': COMPLETED');
    expect(done).toMatch(/- Ran: \d+s, about \$\d+\.\d\d\n/);
  });

  it('stage changes can be scripted in time too (RUNNING for 300 ms, then ERROR)', async () => {
    await start();
    const job = seedJob();
    scriptJob(world, job.id, [
      { stage: 'RUNNING', ms: 300 },
      { stage: 'ERROR', message: 'Job timeout' },
    ]);
    expect(await run({ operation: 'inspect', job_id: job.id })).toContain(': RUNNING');
    await expect
      .poll(async () => (await run({ operation: 'inspect', job_id: job.id })).split('\n')[0], {
        timeout: 3_000,
      })
      .toBe(`**Job ${job.id}**: ERROR (Job timeout)`);
  });

  it('an unknown or malformed job id says so and where ids come from', async () => {
    await start();
    expect(await failure({ operation: 'inspect', job_id: '0123456789abcdef01234567' })).toMatch(
      /Not found on Hugging Face Jobs \(404\): Job not found\. Check the id \(`ps` or `scheduled ps` lists them\)/,
    );
    expect(await failure({ operation: 'logs', job_id: '../../api/whoami-v2' })).toMatch(
      /job_id "\.\.\/\.\.\/api\/whoami-v2" is not an id/,
    );
    expect(await failure({ operation: 'cancel' })).toMatch(/cancel needs job_id \(`ps` lists them\)/);
  });

  it('logs of an ended job: every line, colours and redraws removed, no note', async () => {
    await start();
    const job = seedJob({
      timeline: [{ stage: 'COMPLETED' }],
      logs: ['\x1b[32mstarting\x1b[0m', 'epoch 1 10%\repoch 1 100%', 'saved to hub\n'],
    });
    const output = await run({ operation: 'logs', job_id: job.id });
    expect(output).toBe(
      `**Logs of job ${job.id}** (COMPLETED): 3 lines\n\`\`\`text\nstarting\nepoch 1 100%\nsaved to hub\n\`\`\``,
    );
  });

  it('logs of a running job: the stream stays open, the lines so far come back when it goes quiet', async () => {
    await start();
    const job = seedJob({
      logs: Array.from({ length: 300 }, (_, i) => `step ${i}: loss ${(3 - i / 100).toFixed(2)}`),
    });
    const started = Date.now();
    const output = await run({ operation: 'logs', job_id: job.id });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(output).toContain(`**Logs of job ${job.id}** (RUNNING): the last 100 of 300 lines`);
    expect(output).toContain('step 299: loss 0.01');
    expect(output).not.toContain('step 199:');
    expect(output).toContain('The job is still running: these are its lines so far.');
  });

  it('a log stream that breaks off returns what arrived and says so', async () => {
    await start();
    const job = seedJob({
      timeline: [{ stage: 'COMPLETED' }],
      logs: ['one', 'two', 'three', 'four'],
      dropLogsAfter: 2,
    });
    const output = await run({ operation: 'logs', job_id: job.id });
    expect(output).toContain(`(COMPLETED): 2 lines\n\`\`\`text\none\ntwo\n\`\`\``);
    expect(output).toContain(
      'The log stream broke off after 2 lines: the lines above are what arrived before it did.',
    );
  });

  it('logs keep the tail within the result cap, and never show the token', async () => {
    await start();
    const job = seedJob({
      timeline: [{ stage: 'COMPLETED' }],
      logs: [...Array.from({ length: 99 }, (_, i) => `${i} ${'y'.repeat(900)}`), `leak ${OWNER}`],
    });
    const output = await run({ operation: 'logs', job_id: job.id });
    expect(output).toMatch(/the last \d+ of 100 lines/);
    expect(output).toContain('leak [HF_TOKEN]');
  });

  it('cancel stops a running job and reports its stage', async () => {
    await start();
    const job = seedJob();
    const output = await run({ operation: 'cancel', job_id: job.id });
    expect(output).toBe(
      `Cancel requested for job ${job.id}: its stage is now CANCELED. https://huggingface.co/jobs/intern/${job.id}`,
    );
    expect(findJob(world, job.id)?.canceled).toBe(true);
  });
});

describe('hf_jobs failures of the Jobs API', () => {
  const extra = (answer: () => LoopbackAnswer): Route[] => [
    { method: 'GET', path: '/api/jobs/:namespace', handle: answer },
  ];

  it('a 429 that persists says how long to wait', async () => {
    await start({
      extra: extra(() => ({
        status: 429,
        headers: { 'retry-after': '30' },
        body: { error: 'Too many requests' },
      })),
    });
    expect(await failure({ operation: 'ps' })).toMatch(
      /rate limiting these requests \(429\); it asks to wait 30 s/,
    );
  });

  it('a hung API times out with a message', async () => {
    await start({ timeoutMs: 300, extra: extra(() => ({ hang: true })) });
    expect(await failure({ operation: 'ps' })).toMatch(/Hugging Face Jobs did not answer within 0\.3 s/);
  });

  it('a malformed answer is named as such', async () => {
    await start({ extra: extra(() => ({ body: { jobs: 'not a list' } })) });
    expect(await failure({ operation: 'ps' })).toMatch(
      /sent an answer that could not be read for the jobs of intern/,
    );
  });
});

describe('hf_jobs scheduled jobs', () => {
  it('scheduled run creates one schedule (label on the spec, token as a secret), and lists, inspects, suspends, resumes, deletes', async () => {
    await start();
    const args = {
      operation: 'scheduled run',
      schedule: '@daily',
      command: ['python', '-c', 'print(1)'],
      hardware_flavor: 'cpu-upgrade',
      timeout: '10m',
    };
    const created = await run(args, 'toolu_sched');
    const again = await run(args, 'toolu_sched');
    expect(world.scheduled).toHaveLength(1);
    expect(world.scheduledRequests).toHaveLength(1);
    const scheduled = world.scheduled[0];
    if (!scheduled) throw new Error('no schedule');
    expect(created).toContain(`Scheduled job created: ${scheduled.id}`);
    expect(created).toContain('- Schedule: @daily');
    expect(created).toContain('- Cost per run: at most $0.01');
    expect(again).toContain(`This call already created scheduled job ${scheduled.id}`);
    expect(scheduled.jobSpec.labels).toEqual({ [CALL_LABEL]: 'toolu_sched' });
    expect(scheduled.jobSpec.secretValues).toEqual({ HF_TOKEN: OWNER });
    expect(JSON.stringify(scheduled.jobSpec.environment)).not.toContain(OWNER);

    expect(await run({ operation: 'scheduled ps' })).toContain(
      `| ${scheduled.id} | @daily | active | cpu-upgrade |`,
    );
    const inspected = await run({ operation: 'scheduled inspect', scheduled_job_id: scheduled.id });
    expect(inspected).toContain(`**Scheduled job ${scheduled.id}**: @daily`);
    expect(inspected).toContain('- Command: python -c print(1)');
    await run({ operation: 'scheduled suspend', scheduled_job_id: scheduled.id });
    expect(scheduled.suspend).toBe(true);
    expect(await run({ operation: 'scheduled inspect', scheduled_job_id: scheduled.id })).toContain(
      '@daily (suspended)',
    );
    await run({ operation: 'scheduled resume', scheduled_job_id: scheduled.id });
    expect(scheduled.suspend).toBe(false);
    expect(await run({ operation: 'scheduled delete', scheduled_job_id: scheduled.id })).toContain('deleted');
    expect(world.scheduled).toHaveLength(0);
    expect(await run({ operation: 'scheduled ps' })).toBe('No scheduled jobs in intern.');
    expect(await failure({ operation: 'scheduled inspect', scheduled_job_id: scheduled.id })).toMatch(
      /\(404\): Scheduled job not found/,
    );
  });

  it('scheduled run needs a schedule', async () => {
    await start();
    expect(await failure({ operation: 'scheduled run', command: ['ls'] })).toMatch(
      /scheduled run needs schedule: "@hourly"/,
    );
  });
});

describe('hf_jobs approval (DESIGN.md)', () => {
  it('GPU runs ask with flavor and timeout; CPU runs ask unless confirmCpuJobs is false; unknown flavors always ask', async () => {
    await start();
    expect(approval(gpuRun)).toBe(
      'Launch an HF job on a10g-large (Nvidia A10G - large, 1x A10G 24 GB) with a 2h timeout',
    );
    expect(approval({ operation: 'run', command: ['ls'] })).toBe(
      'Launch an HF job on cpu-basic (CPU Basic, 2 vCPU 16 GB) with a 30m timeout',
    );
    expect(approval({ operation: 'run', command: ['ls'], timeout: 'soon' })).toContain(
      'with an unreadable timeout ("soon")',
    );
    await stop();

    await start({ jobs: { confirmCpuJobs: false, defaultTimeout: '1h' } });
    expect(approval({ operation: 'run', command: ['ls'] })).toBeUndefined();
    expect(approval({ operation: 'run', command: ['ls'], hardware_flavor: 'cpu-upgrade' })).toBeUndefined();
    expect(approval({ ...gpuRun, hardware_flavor: 'h200', timeout: undefined })).toBe(
      'Launch an HF job on h200 (Nvidia H200, 1x H200 141 GB) with a 1h timeout',
    );
    expect(approval({ operation: 'run', command: ['ls'], hardware_flavor: 'cpu-mystery' })).toBe(
      'Launch an HF job on "cpu-mystery", a flavor with no known price with a 1h timeout',
    );
  });

  it('every scheduled change asks, even for CPU with confirmCpuJobs off; reads and cancel never ask', async () => {
    await start({ jobs: { confirmCpuJobs: false } });
    expect(approval({ operation: 'scheduled run', schedule: '@hourly', command: ['ls'] })).toBe(
      'Create a scheduled HF job (@hourly) on cpu-basic (CPU Basic, 2 vCPU 16 GB) with a 30m timeout per run',
    );
    expect(approval({ operation: 'scheduled delete', scheduled_job_id: 'abc' })).toBe(
      'Delete the scheduled HF job abc',
    );
    expect(approval({ operation: 'scheduled suspend', scheduled_job_id: 'abc' })).toBe(
      'Suspend the scheduled HF job abc',
    );
    expect(approval({ operation: 'scheduled resume', scheduled_job_id: 'abc' })).toBe(
      'Resume the scheduled HF job abc',
    );
    for (const operation of ['ps', 'logs', 'inspect', 'cancel', 'scheduled ps', 'scheduled inspect']) {
      expect(approval({ operation, job_id: 'abc', scheduled_job_id: 'abc' })).toBeUndefined();
    }
    expect(tool.sideEffects).toBe(true);
  });

  it('approvalOf gives the kind, the yolo rule and the launch terms the card prices', () => {
    const jobs = { confirmCpuJobs: true, defaultTimeout: '30m' };
    const args = (fields: Record<string, unknown>): HfJobsArgs => fields as HfJobsArgs;
    expect(approvalOf(args(gpuRun), jobs)).toMatchObject({
      kind: 'gpu-run',
      alwaysAsk: false,
      launch: { flavor: 'a10g-large', timeoutSeconds: 7_200 },
    });
    expect(approvalOf(args({ operation: 'run', command: ['ls'] }), jobs)).toMatchObject({
      kind: 'cpu-run',
      launch: { timeoutSeconds: 1_800 },
    });
    expect(approvalOf(args({ operation: 'run', hardware_flavor: 'quantum-1' }), jobs)?.kind).toBe(
      'unknown-flavor',
    );
    expect(
      approvalOf(args({ operation: 'scheduled run', schedule: '@daily', hardware_flavor: 't4-small' }), jobs),
    ).toMatchObject({
      kind: 'scheduled',
      alwaysAsk: true,
      launch: { flavor: 't4-small', schedule: '@daily', timeoutSeconds: 1_800 },
    });
    expect(approvalOf(args({ operation: 'scheduled delete', scheduled_job_id: 'x' }), jobs)).toMatchObject({
      alwaysAsk: true,
    });
    expect(approvalOf(args({ operation: 'run', timeout: 'never' }), jobs)?.launch).toEqual({
      flavor: 'cpu-basic',
    });
    // A live catalog can make a flavor known that the built-in table lacks.
    const live: JobHardware[] = [{ ...(findFlavor(FALLBACK_HARDWARE, 'h200') as JobHardware), name: 'b200' }];
    expect(approvalOf(args({ operation: 'run', hardware_flavor: 'b200' }), jobs, live)?.kind).toBe('gpu-run');
  });
});

describe('prices and estimates', () => {
  it('estimateJobCost: price × timeout from the built-in table; undefined for unknown flavors or prices', () => {
    const a10g = findFlavor(FALLBACK_HARDWARE, 'a10g-large');
    const estimate = estimateJobCost(a10g, 7_200);
    expect(estimate?.usd).toBeCloseTo(3, 6);
    expect(estimate?.perMinuteUsd).toBeCloseTo(0.025, 6);
    expect(estimate?.flavor).toEqual({
      name: 'a10g-large',
      prettyName: 'Nvidia A10G - large',
      isGpu: true,
      accelerator: '1x A10G',
      vram: '24 GB',
      cpu: '12 vCPU',
      ram: '46 GB',
    });
    expect(formatUsd(estimate?.usd ?? 0)).toBe('$3.00');
    expect(estimateJobCost(findFlavor(FALLBACK_HARDWARE, 'a100x8'), 8 * 3_600)?.usd).toBeCloseTo(160, 2);
    expect(formatUsd(estimateJobCost(findFlavor(FALLBACK_HARDWARE, 'cpu-basic'), 1_800)?.usd ?? 0)).toBe(
      '$0.01',
    );
    expect(estimateJobCost(findFlavor(FALLBACK_HARDWARE, 'no-such'), 3_600)).toBeUndefined();
    expect(estimateJobCost(undefined, 3_600)).toBeUndefined();
    const hourly = {
      ...(a10g as JobHardware),
      unitLabel: 'hour',
      unitCostUSD: 1.5,
      unitCostMicroUSD: 1_500_000,
    };
    expect(estimateJobCost(hourly, 7_200)?.usd).toBeCloseTo(3, 6);
    expect(estimateJobCost({ ...(a10g as JobHardware), unitLabel: 'fortnight' }, 60)).toBeUndefined();
    const { unitCostUSD: _usd, unitCostMicroUSD: _micro, ...unpriced } = a10g as JobHardware;
    expect(estimateJobCost(unpriced, 60)).toBeUndefined();
    expect(isGpuFlavor('a10g-large')).toBe(true);
    expect(isGpuFlavor('cpu-upgrade')).toBe(false);
    expect(isGpuFlavor('cpu-new')).toBe(false);
    expect(isGpuFlavor('mystery-gpu')).toBe(true);
    expect(FALLBACK_HARDWARE_TAKEN_AT).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(FALLBACK_HARDWARE.length).toBeGreaterThan(20);
  });

  it('jobCostSoFar: duration × price, to the end of a finished job', () => {
    const a10g = findFlavor(FALLBACK_HARDWARE, 'a10g-large');
    const job = {
      id: 'j',
      status: { stage: 'COMPLETED' },
      startedAt: '2026-12-01T10:00:00Z',
      finishedAt: '2026-12-01T11:00:00Z',
    };
    expect(jobCostSoFar(job, a10g)).toBeCloseTo(1.5, 6);
    expect(jobCostSoFar({ ...job, finishedAt: null }, a10g, new Date('2026-12-01T10:30:00Z'))).toBeCloseTo(
      0.75,
      6,
    );
    expect(jobCostSoFar(job, undefined)).toBeUndefined();
  });

  it('the live catalog (GET /api/jobs/hardware) is cached 6 h in Redis; the estimate uses its prices', async () => {
    const a10g = world.hardware.find((f) => (f as { name: string }).name === 'a10g-large') as Record<
      string,
      number
    >;
    a10g.unitCostMicroUSD = 33_333;
    a10g.unitCostUSD = 0.033333;
    await start();
    const first = await estimateJobCall(harness.services, gpuRun as HfJobsArgs, DEFAULT_JOBS_CONFIG);
    expect(first.catalog.source).toBe('hub');
    expect(first.approval?.kind).toBe('gpu-run');
    expect(formatUsd(first.estimate?.usd ?? 0)).toBe('$4.00');
    expect(first.estimate?.priceSource).toBe('hub');
    a10g.unitCostUSD = 1;
    const second = await estimateJobCall(harness.services, gpuRun as HfJobsArgs, DEFAULT_JOBS_CONFIG);
    expect(formatUsd(second.estimate?.usd ?? 0)).toBe('$4.00');
    expect(hub.requests.filter((r) => r.path === '/api/jobs/hardware')).toHaveLength(1);
    // A CPU run that does not ask is priced all the same (it still adds to the session's cost).
    const cpu = await estimateJobCall(
      harness.services,
      { operation: 'run', command: ['ls'] },
      {
        confirmCpuJobs: false,
        defaultTimeout: '1h',
      },
    );
    expect(cpu.approval).toBeUndefined();
    expect(cpu.estimate?.usd).toBeCloseTo(0.01, 3);
    const unknown = await estimateJobCall(
      harness.services,
      { ...gpuRun, hardware_flavor: 'zz' } as HfJobsArgs,
      DEFAULT_JOBS_CONFIG,
    );
    expect(unknown).toMatchObject({ estimate: undefined, noEstimate: 'no price for flavor "zz"' });
    expect(
      (await estimateJobCall(harness.services, { operation: 'ps' }, DEFAULT_JOBS_CONFIG)).estimate,
    ).toBeUndefined();
  });

  it('when the Hub cannot list hardware, the built-in table (with its date) stands in', async () => {
    // The fake accepts launches on l40sx1, but its hardware list is down (a 500, retried, then given up).
    world.hardware.push({ ...(findFlavor(FALLBACK_HARDWARE, 'l40sx1') as JobHardware) });
    await start({
      extra: [
        {
          method: 'GET',
          path: '/api/jobs/hardware',
          handle: () => ({ status: 500, body: { error: 'down' } }),
        },
      ],
    });
    const catalog = await hardwareCatalog(harness.services);
    expect(catalog).toMatchObject({ source: 'fallback', takenAt: FALLBACK_HARDWARE_TAKEN_AT });
    expect(findFlavor(catalog, 'l40sx8')).toBeDefined();
    // And a launch still checks flavors and prices against it.
    await run({ ...gpuRun, hardware_flavor: 'l40sx1' });
    expect(lastRunBody().flavor).toBe('l40sx1');
  });
});

describe('timeouts and labels', () => {
  it('parseTimeout reads s, m, h, d and bare seconds; refuses the rest with examples', () => {
    expect(parseTimeout('90s')).toBe(90);
    expect(parseTimeout('30m')).toBe(1_800);
    expect(parseTimeout('2h')).toBe(7_200);
    expect(parseTimeout('1d')).toBe(86_400);
    expect(parseTimeout('3600')).toBe(3_600);
    expect(parseTimeout(3_600)).toBe(3_600);
    expect(parseTimeout('1.5h')).toBe(5_400);
    expect(parseTimeout(' 2H ')).toBe(7_200);
    for (const bad of ['soon', '', '10x', '-5', '0', '2 hours', 'h', '1h30m']) {
      expect(() => parseTimeout(bad)).toThrow(ToolInputError);
    }
    expect(() => parseTimeout('10x')).toThrow(/"90s", "30m", "2h", "1d"/);
    expect(formatDuration(7_200)).toBe('2h');
    expect(formatDuration(5_400)).toBe('1h 30m');
    expect(formatDuration(90)).toBe('1m 30s');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(93_600)).toBe('1d 2h');
  });

  it('call labels keep ordinary ids and make any other id a safe, unique value', () => {
    expect(callLabelValue('toolu_01AbCdEf')).toBe('toolu_01AbCdEf');
    const odd = callLabelValue('call:with spaces/and=equals');
    expect(odd).toMatch(/^call-with-spaces-and-equals-[0-9a-f]{12}$/);
    expect(callLabelValue('call:with spaces/and=equals!')).not.toBe(odd);
    const long = callLabelValue('x'.repeat(200));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(callLabelValue('!!!')).toMatch(/^call-[0-9a-f]{12}$/);
  });
});

describe('JobsApi for the job watcher', () => {
  it('reads a job and its log tail without a turn signal', async () => {
    await start();
    const job = seedJob({ timeline: [{ stage: 'COMPLETED' }], logs: ['a', 'b', 'c'] });
    const api = new JobsApi({ url: hub.url, token: OWNER }, { timeoutMs: 2_000 });
    expect((await api.get('intern', job.id)).status.stage).toBe('COMPLETED');
    expect(await api.logTail('intern', job.id, { keep: 2, idleMs: 1_000, maxMs: 1_000 })).toEqual({
      lines: ['b', 'c'],
      total: 3,
      end: 'complete',
    });
    expect(await api.findByLabel('intern', CALL_LABEL, 'nobody')).toBeUndefined();
  });
});
