import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CALL_LABEL } from '../../src/tools/jobs/index.js';
import { INLINE_SCRIPT_PATH, QUIET_ENV, UV_IMAGE } from '../../src/tools/jobs/job-program.js';
import {
  OWNER,
  UNKNOWN,
  world,
  hub,
  start,
  call,
  run,
  failure,
  lastRunBody,
  onlyJob,
  gpuRun,
  stop,
  useJobsWorld,
} from '../helpers/jobs-tool.js';

useJobsWorld();

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
