import type { HardwareCatalog, JobHardware } from './hardware-shapes.js';
import type { JobInfo } from './jobs-shapes.js';

/** What an approval card shows of a flavor. */
export interface FlavorInfo {
  name: string;
  prettyName: string;
  isGpu: boolean;
  /** `"1x A10G"`; absent on CPU flavors. */
  accelerator?: string;
  /** `"24 GB"`; absent on CPU flavors. */
  vram?: string;
  cpu: string;
  ram: string;
}

/** A run's price ceiling: the flavor's price × its timeout (a job stops at its timeout). */
export interface JobCostEstimate {
  usd: number;
  perMinuteUsd: number;
  timeoutSeconds: number;
  flavor: FlavorInfo;
  /** Where the price comes from and when it was read, when the catalog is known. */
  priceSource?: HardwareCatalog['source'];
  priceTakenAt?: string;
}

const SECONDS_PER_UNIT: Record<string, number> = { second: 1, minute: 60, hour: 3_600, day: 86_400 };

/** The flavor's price per second in USD, or `undefined` when it has none or an unknown unit. */
export function pricePerSecondUsd(flavor: JobHardware): number | undefined {
  const unit = flavor.unitLabel.trim().toLowerCase().replace(/s$/, '');
  const unitSeconds = SECONDS_PER_UNIT[unit];
  const perUnit =
    flavor.unitCostUSD ?? (flavor.unitCostMicroUSD === undefined ? undefined : flavor.unitCostMicroUSD / 1e6);
  if (unitSeconds === undefined || perUnit === undefined || !Number.isFinite(perUnit) || perUnit < 0) {
    return undefined;
  }
  return perUnit / unitSeconds;
}

/**
 * The most a run of `flavor` can cost with `timeoutSeconds` (DESIGN.md: price × timeout), or
 * `undefined` for an unknown flavor or one without a readable price: the card then says "no
 * estimate" and the call always asks.
 */
export function estimateJobCost(
  flavor: JobHardware | undefined,
  timeoutSeconds: number,
  catalog?: Pick<HardwareCatalog, 'source' | 'takenAt'>,
): JobCostEstimate | undefined {
  if (!flavor || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) return undefined;
  const perSecond = pricePerSecondUsd(flavor);
  if (perSecond === undefined) return undefined;
  return {
    usd: perSecond * timeoutSeconds,
    perMinuteUsd: perSecond * 60,
    timeoutSeconds,
    flavor: flavorInfo(flavor),
    ...(catalog ? { priceSource: catalog.source, priceTakenAt: catalog.takenAt } : {}),
  };
}

export function flavorInfo(flavor: JobHardware): FlavorInfo {
  const info: FlavorInfo = {
    name: flavor.name,
    prettyName: flavor.prettyName,
    isGpu: flavor.accelerator !== null,
    cpu: flavor.cpu,
    ram: flavor.ram,
  };
  if (flavor.accelerator) {
    info.accelerator = `${flavor.accelerator.quantity}x ${flavor.accelerator.model}`;
    info.vram = flavor.accelerator.vram;
  }
  return info;
}

/** Seconds a job has run: from its start (or creation) to its end, or to `now` while it runs. */
export function jobElapsedSeconds(job: JobInfo, now: Date = new Date()): number | undefined {
  const start = Date.parse(job.startedAt ?? job.createdAt ?? '');
  if (!Number.isFinite(start)) return undefined;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now.getTime();
  return Number.isFinite(end) ? Math.max(0, (end - start) / 1000) : undefined;
}

/** What a job has cost so far (or in all, once it ended): its duration × its flavor's price. */
export function jobCostSoFar(
  job: JobInfo,
  flavor: JobHardware | undefined,
  now: Date = new Date(),
): number | undefined {
  const seconds = jobElapsedSeconds(job, now);
  const perSecond = flavor ? pricePerSecondUsd(flavor) : undefined;
  return seconds === undefined || perSecond === undefined ? undefined : seconds * perSecond;
}

/**
 * `"$3.00"`: dollars with cents, rounded up for ceilings so a card never shows less than the job can
 * cost (`$0.01` for any cost above zero and under a cent).
 */
export function formatUsd(usd: number, rounding: 'up' | 'nearest' = 'up'): string {
  const cents = rounding === 'up' ? Math.ceil(usd * 100 - 1e-9) : Math.round(usd * 100);
  return `$${(Math.max(0, cents) / 100).toFixed(2)}`;
}

/** `"$0.0250/min"`: a per-minute price with the digits small prices need. */
export function formatPerMinute(perMinuteUsd: number): string {
  return `$${perMinuteUsd < 0.01 ? perMinuteUsd.toFixed(4) : perMinuteUsd.toFixed(3)}/min`;
}
