import type { SandboxClient } from './sandbox-client.js';

/** Output is sent to the sandbox file in parts of about this size. */
const PART_BYTES = 256 * 1024;

/**
 * Saves a command's whole output to a file in the sandbox as it arrives (ranged `PUT
 * /v1/files/write?offset=`), so the worker never holds more than one part of a command that prints
 * gigabytes. Failures are remembered, not thrown: the command's result says the file is incomplete.
 */
export class OutputUpload {
  private parts: Buffer[] = [];
  private size = 0;
  private offset = 0;
  private sending: Promise<void> = Promise.resolve();
  failed = false;

  constructor(
    private readonly client: SandboxClient,
    readonly path: string,
    private readonly signal: AbortSignal,
  ) {}

  push(chunk: string): void {
    const part = Buffer.from(chunk, 'utf8');
    this.parts.push(part);
    this.size += part.length;
    if (this.size >= PART_BYTES) this.flush();
  }

  /** Sends what is left (an empty file for a command that printed nothing) and waits for every part. */
  async done(): Promise<void> {
    if (this.size > 0 || this.offset === 0) this.flush();
    await this.sending;
  }

  private flush(): void {
    const data = Buffer.concat(this.parts);
    const offset = this.offset;
    this.parts = [];
    this.size = 0;
    this.offset += data.length;
    this.sending = this.sending.then(async () => {
      if (this.failed) return;
      try {
        // The first part truncates (no offset): a rerun never shows an older, longer file's tail.
        await this.client.write(this.path, data, this.signal, offset === 0 ? {} : { offset });
      } catch {
        this.failed = true;
      }
    });
  }
}
