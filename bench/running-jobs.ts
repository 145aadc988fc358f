import { fakeJobId, type FakeJob, type HubJobsWorld } from '../tests/fakes/hub-jobs-routes.js';

/** A few lines, as a training script prints them: the card's tail, not a log-volume test. */
const LOG_LINES = ['Installed 42 packages in 1.2s', 'step 100: loss 2.31', 'step 200: loss 1.87'];

/**
 * Puts `count` jobs in the fake Hub's world that are RUNNING and stay so (a one-step timeline), as
 * if launched over the last hour, so each watch reads a running job from its first tick on.
 */
export function seedRunningJobs(
  world: HubJobsWorld,
  options: { count: number; namespace: string; flavor: string },
): FakeJob[] {
  const now = Date.now();
  const jobs = Array.from({ length: options.count }, (_, i): FakeJob => {
    const started = new Date(now - ((i * 7_919) % 3_600_000)).toISOString();
    return {
      id: fakeJobId(),
      namespace: options.namespace,
      createdAt: started,
      createdMs: Date.parse(started),
      startedAt: started,
      finishedAt: null,
      dockerImage: 'ghcr.io/astral-sh/uv:python3.12-bookworm',
      spaceId: null,
      command: ['uv', 'run', 'train.py'],
      arguments: [],
      environment: {},
      secretValues: {},
      flavor: options.flavor,
      timeoutSeconds: 8 * 3_600,
      labels: { 'mlib-call': `bench-call-${i}` },
      owner: { id: `id-${options.namespace}`, name: options.namespace, type: 'user' },
      initiator: { type: 'user', id: `id-${options.namespace}`, name: options.namespace },
      timeline: [{ stage: 'RUNNING' }],
      gets: 0,
      canceled: false,
      logs: [...LOG_LINES],
    };
  });
  world.jobs.push(...jobs);
  return jobs;
}
