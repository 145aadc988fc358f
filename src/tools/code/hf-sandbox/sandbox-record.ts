import { z } from 'zod';
import type { ToolStateStore } from '../../../core/tool-spec.js';

/**
 * What the session keeps of its sandbox (tool state in Redis, so any worker reattaches): the job, its
 * hardware and price, and when it was last used. The nonce and the URL are not kept: they are read
 * back from the job (its labels and exposed URLs) on every reattach, as `Sandbox.connect` does.
 */
export const sandboxRecordShape = z.object({
  jobId: z.string().min(1),
  namespace: z.string().min(1),
  hardware: z.string().min(1),
  createdAtMs: z.number(),
  lastUsedMs: z.number(),
  /** The flavor's price, when known: the real cost is settled with it when the sandbox ends. */
  usdPerSecond: z.number().optional(),
  /** What was charged to the session at creation (an approved quote), replaced by the real cost. */
  chargedUsd: z.number().optional(),
});

export type SandboxRecord = z.infer<typeof sandboxRecordShape>;

const KEY = 'code:sandbox';

export async function loadRecord(state: ToolStateStore): Promise<SandboxRecord | undefined> {
  const parsed = sandboxRecordShape.safeParse(await state.get(KEY));
  return parsed.success ? parsed.data : undefined;
}

export async function saveRecord(state: ToolStateStore, record: SandboxRecord): Promise<void> {
  await state.set(KEY, record);
}

export async function clearRecord(state: ToolStateStore): Promise<void> {
  await state.set(KEY, null);
}
