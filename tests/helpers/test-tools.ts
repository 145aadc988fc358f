import { Redis } from 'ioredis';
import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../src/core/tool-spec.js';
import { REDIS_URL } from './test-app.js';

/**
 * A tool with a side effect the tests can count: it increments a Redis counter (the "GPU job"
 * launched), then waits `holdMs` (so a test can kill the worker mid-call). Needs approval unless
 * `approve: false`.
 */
export function effectTool(
  counterKey: string,
  options: { approve?: boolean; holdMs?: number } = {},
): AnyToolSpec {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  return defineTool({
    name: 'launch_job',
    description: 'Launches a (pretend) paid job.',
    parameters: z.object({ name: z.string(), hold: z.number().optional() }),
    sideEffects: true,
    needsApproval: () => (options.approve === false ? undefined : 'launches a paid job'),
    async execute(args, ctx) {
      await redis.incr(counterKey);
      await ctx.log(`job ${args.name} launched`);
      const hold = args.hold ?? options.holdMs ?? 0;
      if (hold > 0) {
        // A well-behaved long tool: it stops and rejects when the turn is aborted.
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, hold);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted'));
          });
        });
      }
      return { output: `job ${args.name} finished` };
    },
  });
}

/** A read-only tool that echoes its input. */
export const echoTool = defineTool({
  name: 'echo',
  description: 'Echoes the text.',
  parameters: z.object({ text: z.string() }),
  sideEffects: false,
  needsApproval: () => undefined,
  execute: (args) => Promise.resolve({ output: `echo: ${args.text}` }),
});

/** A tool that always asks first, and records each flavor it really ran with. */
export function gpuJobTool(): { spec: AnyToolSpec; runs: string[] } {
  const runs: string[] = [];
  const spec = defineTool({
    name: 'launch_gpu_job',
    description: 'Launches a training job on a GPU.',
    parameters: z.object({ flavor: z.string() }),
    sideEffects: true,
    needsApproval: () => 'launches a paid GPU job',
    execute: (args) => {
      runs.push(args.flavor);
      return Promise.resolve({ output: `job started on ${args.flavor}` });
    },
  });
  return { spec, runs };
}

/** A $2 paid job (quote and spend), counting its launches: for budgets, pauses and caps. */
export function twoDollarJob(): { spec: AnyToolSpec; launches: () => number; reset: () => void } {
  let launches = 0;
  const spec = defineTool({
    name: 'paid_job',
    description: 'Launches a $2 job.',
    parameters: z.object({}),
    sideEffects: true,
    needsApproval: () => 'launches a paid job',
    quote: () => Promise.resolve({ usd: 2, basis: 'cpu for 1 h at $2/h' }),
    execute: () => {
      launches++;
      return Promise.resolve({ output: 'launched', spendUsd: 2 });
    },
  });
  return {
    spec,
    launches: () => launches,
    reset: () => {
      launches = 0;
    },
  };
}
