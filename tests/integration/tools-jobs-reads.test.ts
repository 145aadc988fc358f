import { describe, expect, it } from 'vitest';
import { CALL_LABEL } from '../../src/tools/jobs/index.js';
import { findJob, scriptJob, type FakeJob } from '../fakes/hub-jobs-routes.js';
import type { LoopbackAnswer, Route } from '../fakes/loopback-http.js';
import { OWNER, world, start, run, failure, seedJob, useJobsWorld } from '../helpers/jobs-tool.js';

useJobsWorld();

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
