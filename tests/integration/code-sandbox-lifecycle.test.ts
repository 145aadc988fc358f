import { afterEach, describe, expect, it } from 'vitest';
import { scriptJob } from '../fakes/hub-jobs-routes.js';
import { messageRequests, toolResults } from '../helpers/fake-app.js';
import { eventually, startSandboxRig, type SandboxRig } from '../helpers/sandbox-app.js';
import { waitForEvent } from '../helpers/test-app.js';

// A sandbox's life: reattached by a restarted worker from the job id and labels, cancelled when
// idle or when the session ends, replaced when its job died, and created on GPU only with approval.
let rig: SandboxRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const cancels = (r: SandboxRig): number => r.hub.requests.filter((q) => q.path.endsWith('/cancel')).length;

describe('hf-sandbox lifecycle', () => {
  it('a restarted worker reattaches to the same job (nonce from its labels), creating no second one', async () => {
    rig = await startSandboxRig();
    rig.fake.enqueue(
      { toolCalls: [{ name: 'bash', input: { command: 'echo first > kept.txt' } }] },
      { text: 'ok' },
    );
    const sessionId = await rig.app.startSession({ owner: 'u1', platform: 'terminal' });
    await rig.turn(sessionId, 'one');
    await rig.restart();
    rig.fake.enqueue({ toolCalls: [{ name: 'bash', input: { command: 'cat kept.txt' } }] }, { text: 'ok' });
    await rig.turn(sessionId, 'two');
    expect(rig.world.runRequests).toHaveLength(1);
    const results = toolResults(messageRequests(rig.fake).at(-1));
    expect(results.at(-1)).toContain('first');
    expect(results.at(-1)).toContain('Exit code 0.');
    // The new worker read the job back (its labels give the nonce) before using it.
    const jobId = rig.world.jobs[0]!.id;
    expect(
      rig.hub.requests.filter((q) => q.method === 'GET' && q.path.endsWith(`/${jobId}`)).length,
    ).toBeGreaterThan(0);
  });

  it('cancels the sandbox job through the Jobs API after code.sandboxIdleMinutes without use', async () => {
    rig = await startSandboxRig({ sandboxIdleMinutes: 0.02 });
    rig.fake.enqueue({ toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] }, { text: 'ok' });
    const sessionId = await rig.app.startSession({ owner: 'u1', platform: 'terminal' });
    await rig.turn(sessionId, 'run');
    const job = rig.world.jobs[0]!;
    await eventually(() => job.canceled);
    expect(
      rig.hub.requests.some((q) => q.method === 'POST' && q.path === `/api/jobs/intern/${job.id}/cancel`),
    ).toBe(true);
  });

  it('cancels the sandbox when the session ends', async () => {
    rig = await startSandboxRig();
    rig.fake.enqueue({ toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] }, { text: 'ok' });
    const sessionId = await rig.app.startSession({ owner: 'u1', platform: 'terminal' });
    const { lastId } = await rig.turn(sessionId, 'run');
    expect(cancels(rig)).toBe(0);
    await rig.app.operations.submit(sessionId, { type: 'shutdown' }, 'u1');
    await waitForEvent(rig.app, sessionId, (e) => e.type === 'operation_complete', { after: lastId });
    await eventually(() => rig!.world.jobs[0]!.canceled);
    expect(cancels(rig)).toBe(1);
  });

  it('replaces a sandbox whose job died, saying so', async () => {
    rig = await startSandboxRig();
    rig.fake.enqueue({ toolCalls: [{ name: 'bash', input: { command: 'echo one' } }] }, { text: 'ok' });
    const sessionId = await rig.app.startSession({ owner: 'u1', platform: 'terminal' });
    await rig.turn(sessionId, 'one');
    scriptJob(rig.world, rig.world.jobs[0]!.id, [{ stage: 'ERROR', message: 'Out of memory' }]);
    rig.fake.enqueue({ toolCalls: [{ name: 'bash', input: { command: 'echo two' } }] }, { text: 'ok' });
    const { events } = await rig.turn(sessionId, 'two');
    expect(rig.world.runRequests).toHaveLength(2);
    expect(
      events.some((e) => e.type === 'tool_log' && /has ended \(ERROR\); starting a new sandbox/.test(e.log)),
    ).toBe(true);
    expect(toolResults(messageRequests(rig.fake).at(-1)).at(-1)).toContain('two');
  });

  it('sandbox_create on a GPU asks first with its price; cpu-basic does not ask', async () => {
    rig = await startSandboxRig();
    rig.fake.enqueue({
      toolCalls: [{ id: 'toolu_gpu', name: 'sandbox_create', input: { hardware: 'a10g-small' } }],
    });
    const sessionId = await rig.app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events, lastId } = await rig.turn(sessionId, 'gpu please');
    const card = events.find((e) => e.type === 'approval_required') as
      | { calls: Array<{ tool: string; reason: string; estimate: { usd: number; basis: string } }> }
      | undefined;
    // a10g-small is $1.00/h in the fake's list: at most 24 h.
    expect(card?.calls[0]).toMatchObject({
      tool: 'sandbox_create',
      estimate: { usd: expect.closeTo(24, 1) as unknown },
    });
    expect(card?.calls[0]?.reason).toContain('a10g-small');
    expect(card?.calls[0]?.estimate.basis).toContain('at most 24 h');
    expect(rig.world.runRequests).toHaveLength(0);

    await rig.app.operations.submit(
      sessionId,
      { type: 'exec_approval', decisions: [{ toolCallId: 'toolu_gpu', approved: true }] },
      'u1',
    );
    const approved = await waitForEvent(rig.app, sessionId, (e) => e.type === 'operation_complete', {
      after: lastId,
      timeoutMs: 20_000,
    });
    // The quote is charged at creation, like a job's estimate (so the thread's spend gate speaks up).
    expect(
      approved.events.some((e) => e.type === 'tool_output' && e.output.includes('Sandbox created')),
    ).toBe(true);
    expect(rig.world.runRequests).toHaveLength(1);
    expect(rig.world.jobs[0]!.flavor).toBe('a10g-small');
    expect((await rig.app.session(sessionId))?.costUsd).toBeCloseTo(24, 0);

    const other = await rig.app.startSession({ owner: 'u1', platform: 'terminal' });
    rig.fake.enqueue(
      { toolCalls: [{ name: 'sandbox_create', input: { hardware: 'cpu-basic' } }] },
      { text: 'ok' },
    );
    const cpu = await rig.turn(other, 'cpu please');
    expect(cpu.events.some((e) => e.type === 'approval_required')).toBe(false);
    expect(rig.world.jobs[1]!.flavor).toBe('cpu-basic');
    expect(toolResults(messageRequests(rig.fake).at(-1)).at(-1)).toContain('Sandbox created');
  });
});
