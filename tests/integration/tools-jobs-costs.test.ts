import { describe, expect, it } from 'vitest';
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
  parseTimeout,
  type HfJobsArgs,
  type JobHardware,
} from '../../src/tools/jobs/index.js';
import { ToolInputError } from '../../src/tools/shared/service-error.js';
import {
  OWNER,
  world,
  hub,
  harness,
  tool,
  start,
  run,
  approval,
  lastRunBody,
  seedJob,
  gpuRun,
  stop,
  useJobsWorld,
} from '../helpers/jobs-tool.js';

useJobsWorld();

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
