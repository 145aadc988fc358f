import { z } from 'zod';

/**
 * One flavor of `GET {HF_ENDPOINT}/api/jobs/hardware`, as `huggingface_hub`'s `JobHardware` and
 * `@huggingface/hub`'s `ApiJobHardware` read it: `unitCostUSD` (and `unitCostMicroUSD`) per
 * `unitLabel` (today "minute"), `accelerator` null for CPU flavors.
 */
export const jobHardwareShape = z.object({
  name: z.string().min(1),
  prettyName: z.string(),
  cpu: z.string(),
  ram: z.string(),
  ephemeralStorage: z.string().optional(),
  accelerator: z
    .object({
      type: z.string(),
      model: z.string(),
      quantity: z.string(),
      vram: z.string(),
      manufacturer: z.string(),
    })
    .nullish()
    // CPU flavors carry `null` (or, read leniently as `huggingface_hub` does, nothing).
    .transform((accelerator) => accelerator ?? null),
  unitCostMicroUSD: z.number().optional(),
  unitCostUSD: z.number().optional(),
  unitLabel: z.string(),
});

export type JobHardware = z.infer<typeof jobHardwareShape>;

/** Where a catalog's prices come from: the Hub's answer (cached 6 h) or the built-in table. */
export interface HardwareCatalog {
  flavors: readonly JobHardware[];
  source: 'hub' | 'fallback';
  /** When the prices were read (ISO date-time), or the date the fallback table was taken. */
  takenAt: string;
}
