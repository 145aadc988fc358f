import type { ToolContext } from '../../core/tool-spec.js';

/** A file of a call, once its path is resolved: how read-tracking knows it, and how to name it. */
export interface FileRef {
  /** Unique per place the file lives (a workspace path, or a sandbox's job and path). */
  key: string;
  /** The path as the model should see it in results. */
  shown: string;
}

/**
 * Where `read`, `write` and `edit` keep files: the session's local workspace or its HF sandbox. The
 * tools' rules (numbered lines, read-before-write, edit modes) are the same over either; only the
 * storage differs. Every failure is a ToolInputError (or a ServiceError) worded for the model.
 */
export interface FileStore {
  /** Resolves a path of a call; refuses one the store cannot serve. */
  locate(ctx: ToolContext, requested: string): Promise<FileRef>;
  /** What is at the path now. */
  kind(ctx: ToolContext, ref: FileRef): Promise<'file' | 'dir' | undefined>;
  read(ctx: ToolContext, ref: FileRef, doing: string): Promise<Buffer>;
  /** Replaces the whole file at once (never half written), creating folders as needed. */
  write(ctx: ToolContext, ref: FileRef, content: string): Promise<void>;
}
