import type { ToolStateStore } from '../../core/tool-spec.js';

/**
 * Which files the model has read in this session: write and edit refuse an existing file it has not
 * seen, so it never overwrites work it does not know about. One state key per file, so that parallel
 * reads in one turn cannot lose each other's mark.
 */
const key = (absolutePath: string): string => `code:read:${absolutePath}`;

export async function markRead(state: ToolStateStore, absolutePath: string): Promise<void> {
  await state.set(key(absolutePath), true);
}

export async function wasRead(state: ToolStateStore, absolutePath: string): Promise<boolean> {
  return (await state.get(key(absolutePath))) === true;
}
