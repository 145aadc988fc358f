import type { JobHardware } from './hardware-shapes.js';

/**
 * The Jobs hardware and prices as `GET /api/jobs/hardware` listed them on the date below (the
 * `hf jobs hardware` table of the Hub's Jobs configuration guide, huggingface/hub-docs), used when
 * the Hub cannot be asked. Prices are per minute, in micro-dollars, as the API gives them.
 */
export const FALLBACK_HARDWARE_TAKEN_AT = '2026-12-01';

function cpu(
  name: string,
  prettyName: string,
  cpus: string,
  ram: string,
  disk: string,
  micro: number,
): JobHardware {
  return priced({ name, prettyName, cpu: cpus, ram, ephemeralStorage: disk, accelerator: null }, micro);
}

function gpu(
  name: string,
  prettyName: string,
  cpus: string,
  ram: string,
  disk: string,
  quantity: string,
  model: string,
  vram: string,
  micro: number,
): JobHardware {
  const accelerator = { type: 'gpu', model, quantity, vram, manufacturer: 'Nvidia' };
  return priced({ name, prettyName, cpu: cpus, ram, ephemeralStorage: disk, accelerator }, micro);
}

function priced(
  flavor: Omit<JobHardware, 'unitCostMicroUSD' | 'unitCostUSD' | 'unitLabel'>,
  micro: number,
): JobHardware {
  return { ...flavor, unitCostMicroUSD: micro, unitCostUSD: micro / 1_000_000, unitLabel: 'minute' };
}

export const FALLBACK_HARDWARE: readonly JobHardware[] = [
  cpu('cpu-basic', 'CPU Basic', '2 vCPU', '16 GB', '50 GB', 167),
  cpu('cpu-upgrade', 'CPU Upgrade', '8 vCPU', '32 GB', '50 GB', 500),
  cpu('cpu-performance', 'CPU Performance', '32 vCPU', '256 GB', '1024 GB', 31667),
  cpu('cpu-xl', 'CPU XL', '16 vCPU', '124 GB', '1000 GB', 16667),
  gpu('t4-small', 'Nvidia T4 - small', '4 vCPU', '15 GB', '50 GB', '1', 'T4', '16 GB', 6667),
  gpu('t4-medium', 'Nvidia T4 - medium', '8 vCPU', '30 GB', '100 GB', '1', 'T4', '16 GB', 10000),
  gpu('a10g-small', 'Nvidia A10G - small', '4 vCPU', '15 GB', '110 GB', '1', 'A10G', '24 GB', 16667),
  gpu('a10g-large', 'Nvidia A10G - large', '12 vCPU', '46 GB', '200 GB', '1', 'A10G', '24 GB', 25000),
  gpu('a10g-largex2', '2x Nvidia A10G - large', '24 vCPU', '92 GB', '1000 GB', '2', 'A10G', '48 GB', 50000),
  gpu('a10g-largex4', '4x Nvidia A10G - large', '48 vCPU', '184 GB', '2000 GB', '4', 'A10G', '96 GB', 83333),
  gpu('a100-large', 'Nvidia A100 - large', '12 vCPU', '142 GB', '1000 GB', '1', 'A100', '80 GB', 41667),
  gpu('a100x4', '4x Nvidia A100', '48 vCPU', '568 GB', '4000 GB', '4', 'A100', '320 GB', 166667),
  gpu('a100x8', '8x Nvidia A100', '96 vCPU', '1136 GB', '8000 GB', '8', 'A100', '640 GB', 333333),
  gpu('h200', 'Nvidia H200', '23 vCPU', '256 GB', '3000 GB', '1', 'H200', '141 GB', 83333),
  gpu('h200x2', 'Nvidia H200', '46 vCPU', '512 GB', '6000 GB', '2', 'H200', '282 GB', 166667),
  gpu('h200x4', 'Nvidia H200', '92 vCPU', '1024 GB', '12000 GB', '4', 'H200', '564 GB', 333333),
  gpu('h200x8', 'Nvidia H200', '184 vCPU', '2048 GB', '24000 GB', '8', 'H200', '1128 GB', 666667),
  gpu(
    'rtx-pro-6000',
    'Nvidia RTX PRO 6000',
    '23 vCPU',
    '256 GB',
    '475 GB',
    '1',
    'RTX PRO 6000',
    '96 GB',
    45833,
  ),
  gpu(
    'rtx-pro-6000x2',
    'Nvidia RTX PRO 6000',
    '46 vCPU',
    '512 GB',
    '950 GB',
    '2',
    'RTX PRO 6000',
    '192 GB',
    91667,
  ),
  gpu(
    'rtx-pro-6000x4',
    'Nvidia RTX PRO 6000',
    '92 vCPU',
    '1024 GB',
    '1900 GB',
    '4',
    'RTX PRO 6000',
    '384 GB',
    183333,
  ),
  gpu(
    'rtx-pro-6000x8',
    'Nvidia RTX PRO 6000',
    '184 vCPU',
    '2048 GB',
    '3800 GB',
    '8',
    'RTX PRO 6000',
    '768 GB',
    366667,
  ),
  gpu('l4x1', '1x Nvidia L4', '8 vCPU', '30 GB', '400 GB', '1', 'L4', '24 GB', 13333),
  gpu('l4x4', '4x Nvidia L4', '48 vCPU', '186 GB', '3200 GB', '4', 'L4', '96 GB', 63333),
  gpu('l40sx1', '1x Nvidia L40S', '8 vCPU', '62 GB', '380 GB', '1', 'L40S', '48 GB', 30000),
  gpu('l40sx4', '4x Nvidia L40S', '48 vCPU', '382 GB', '3200 GB', '4', 'L40S', '192 GB', 138333),
  gpu('l40sx8', '8x Nvidia L40S', '192 vCPU', '1534 GB', '6500 GB', '8', 'L40S', '384 GB', 391667),
];
