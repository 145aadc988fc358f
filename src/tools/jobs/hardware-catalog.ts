import type { ToolServices } from '../tool-services.js';
import { JobsApi } from './jobs-api.js';
import { FALLBACK_HARDWARE, FALLBACK_HARDWARE_TAKEN_AT } from './hardware-fallback.js';
import type { HardwareCatalog, JobHardware } from './hardware-shapes.js';

export type { HardwareCatalog, JobHardware } from './hardware-shapes.js';

/** Prices change rarely; every worker shares one copy for this long (the 6 hours). */
export const HARDWARE_CACHE_SECONDS = 6 * 3_600;
const CACHE_KEY = 'jobs:hardware:v1';

/** The built-in table, for when the Hub cannot be asked. */
export const FALLBACK_CATALOG: HardwareCatalog = {
  flavors: FALLBACK_HARDWARE,
  source: 'fallback',
  takenAt: FALLBACK_HARDWARE_TAKEN_AT,
};

/**
 * The Jobs flavors and their prices: `GET {HF_ENDPOINT}/api/jobs/hardware`, cached 6 h in Redis for
 * every worker; when the Hub fails, the built-in table (with the date it was taken) and a log line.
 * Never throws: an approval card needs a price even when the Hub is away.
 */
export async function hardwareCatalog(
  services: Pick<ToolServices, 'hub' | 'cache' | 'logger'>,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<HardwareCatalog> {
  try {
    return await services.cache.getOrLoad<HardwareCatalog>(CACHE_KEY, HARDWARE_CACHE_SECONDS, async () => {
      const flavors = await new JobsApi(services.hub, {
        timeoutMs: options.timeoutMs ?? 10_000,
        ...(options.signal ? { signal: options.signal } : {}),
      }).hardware();
      return { flavors, source: 'hub', takenAt: new Date().toISOString() };
    });
  } catch (err) {
    services.logger.warn({ err }, 'Jobs hardware list unavailable; using the built-in price table');
    return FALLBACK_CATALOG;
  }
}

/** The flavor called `name` (case and spaces ignored), if the catalog has it. */
export function findFlavor(
  catalog: Pick<HardwareCatalog, 'flavors'> | readonly JobHardware[],
  name: string,
): JobHardware | undefined {
  const flavors = 'flavors' in catalog ? catalog.flavors : catalog;
  const wanted = name.trim().toLowerCase();
  return flavors.find((flavor) => flavor.name.toLowerCase() === wanted);
}

/**
 * Whether a flavor has an accelerator (a GPU, or another accelerator priced like one). A name
 * missing from `flavors` counts as one unless it is a `cpu-` flavor, so an unknown flavor asks.
 */
export function isGpuFlavor(
  flavor: JobHardware | string,
  flavors: readonly JobHardware[] = FALLBACK_HARDWARE,
): boolean {
  if (typeof flavor !== 'string') return flavor.accelerator !== null;
  const known = findFlavor(flavors, flavor);
  if (known) return known.accelerator !== null;
  return !flavor.trim().toLowerCase().startsWith('cpu-');
}

/** `"Nvidia A10G - large, 1x A10G 24 GB"`, `"CPU Basic, 2 vCPU 16 GB"`: a flavor for a card or a result. */
export function describeFlavor(flavor: JobHardware): string {
  const machine = flavor.accelerator
    ? `${flavor.accelerator.quantity}x ${flavor.accelerator.model} ${flavor.accelerator.vram}`
    : `${flavor.cpu} ${flavor.ram}`;
  return `${flavor.prettyName}, ${machine}`;
}
