import { z } from 'zod';
import { defineTool, type AnyToolSpec, type PriceQuote } from '../../../core/tool-spec.js';
import { formatPerMinute, pricePerSecondUsd } from '../../jobs/cost.js';
import { describeFlavor, findFlavor, hardwareCatalog } from '../../jobs/hardware-catalog.js';
import { FALLBACK_HARDWARE } from '../../jobs/hardware-fallback.js';
import { jobUrl } from '../../jobs/job-format.js';
import { ToolInputError } from '../../shared/service-error.js';
import type { ToolServices } from '../../tool-services.js';
import { SANDBOX_MAX_LIFETIME_SECONDS } from './sandbox-protocol.js';
import { SANDBOX_WORKSPACE, type SandboxManager } from './sandbox-manager.js';

const FREE_HARDWARE = 'cpu-basic';

const parameters = z.object({
  hardware: z
    .string()
    .min(1)
    .optional()
    .describe(
      `Hardware flavor of the sandbox (default ${FREE_HARDWARE}), e.g. t4-small, a10g-small, a100-large.`,
    ),
});

/**
 * `sandbox_create {hardware}`: starts the session's sandbox on the chosen hardware before the first
 * bash/read/write/edit (which would start a cpu-basic one on their own). Any hardware but cpu-basic
 * asks first, its card priced as a job's: the flavor's price × the sandbox's 24 h limit, charged at
 * creation and replaced by the real cost when the sandbox ends.
 */
export function sandboxCreateTool(
  manager: SandboxManager,
  services: Pick<ToolServices, 'hub' | 'cache' | 'logger'>,
  idleMinutes: number,
): AnyToolSpec {
  const hardwareOf = (args: { hardware?: string | undefined }): string =>
    args.hardware?.trim() || FREE_HARDWARE;
  const quoteOf = async (hardware: string): Promise<PriceQuote> => {
    const flavor = findFlavor(await hardwareCatalog(services), hardware);
    const perSecond = flavor ? pricePerSecondUsd(flavor) : undefined;
    if (!flavor || perSecond === undefined)
      return { usd: undefined, basis: `no price for flavor "${hardware}"` };
    return {
      usd: perSecond * SANDBOX_MAX_LIFETIME_SECONDS,
      basis: `${describeFlavor(flavor)} at ${formatPerMinute(perSecond * 60)} for at most ${SANDBOX_MAX_LIFETIME_SECONDS / 3_600} h (it stops after ${idleMinutes} min unused, or when the session ends)`,
    };
  };
  return defineTool({
    name: 'sandbox_create',
    description: [
      'Create your persistent remote Linux sandbox (a Hugging Face Sandbox on HF Jobs) on the hardware you need, before using bash/read/write/edit in it.',
      'Workflow: sandbox_create → write script → pip install → test with a small run → fix errors → hf_jobs at scale.',
      `bash/read/write/edit start a ${FREE_HARDWARE} sandbox on their own; call this first only for other hardware.`,
      'For ML code that uses CUDA, bf16 or model loading, use GPU hardware (t4-small minimum): a CPU sandbox cannot test GPU code paths.',
      'Estimate VRAM first (bf16 ≈ 2 bytes/param, fp32 ≈ 4, +20% for optimizer states). Common picks: t4-small (16 GB), a10g-small (24 GB), a100-large (80 GB).',
      `Any hardware but ${FREE_HARDWARE} asks the user first, with its price.`,
    ].join('\n'),
    parameters,
    sideEffects: true,
    needsApproval: (args) => {
      const hardware = hardwareOf(args);
      if (hardware === FREE_HARDWARE) return undefined;
      const flavor = findFlavor(FALLBACK_HARDWARE, hardware);
      const where = flavor
        ? `${flavor.name} (${describeFlavor(flavor)})`
        : `"${hardware}", a flavor with no known price`;
      return `Start an HF sandbox on ${where}`;
    },
    quote: (args) => quoteOf(hardwareOf(args)),
    async execute(args, ctx) {
      const hardware = hardwareOf(args);
      const existing = await manager.live(ctx);
      if (existing) {
        return {
          output: `Sandbox already active: job ${existing.jobId} (${existing.hardware}), ${jobUrl(existing.namespace, existing.jobId)}. Use bash/read/write/edit to work in it.`,
        };
      }
      const catalog = await hardwareCatalog(services, { signal: ctx.signal });
      if (!findFlavor(catalog, hardware)) {
        throw new ToolInputError(
          `Unknown hardware "${hardware}". Flavors: ${catalog.flavors.map((flavor) => flavor.name).join(', ')}.`,
        );
      }
      const quote = hardware === FREE_HARDWARE ? undefined : await quoteOf(hardware);
      const charged = quote?.usd;
      const { record } = await manager.ensure(ctx, {
        hardware,
        ...(charged !== undefined ? { chargedUsd: charged } : {}),
      });
      const output = [
        `Sandbox created: job ${record.jobId} (${record.hardware}), ${jobUrl(record.namespace, record.jobId)}`,
        `Working folder: ${SANDBOX_WORKSPACE}. Use bash/read/write/edit to work in it; it stops after ${idleMinutes} min unused, or when this session ends.`,
      ].join('\n');
      return charged !== undefined && record.chargedUsd === charged
        ? { output, spendUsd: charged }
        : { output };
    },
  });
}
