import { constants, createDeflate, deflateSync } from 'node:zlib';
import type { Deflate } from 'node:zlib';

/**
 * How the gateway encodes what it sends on one connection. discord.js asks for
 * `compress=zlib-stream` only when the optional `zlib-sync` package is installed (it is not here);
 * without it, a client configured for compression falls back to IDENTIFY `compress: true`
 * ("identify compression": some payloads arrive as whole zlib blobs). Both are supported, so a
 * test can cover either; by default frames are plain JSON text.
 */
export type GatewayCompression = 'none' | 'zlib-stream' | 'payload';

/** The 4-byte tail of a `Z_SYNC_FLUSH` that marks the end of each zlib-stream message. */
const SYNC_FLUSH_SUFFIX = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/**
 * One zlib context for the connection's lifetime, each message flushed with `Z_SYNC_FLUSH`: the
 * client keeps one inflater and decodes a message whenever a frame ends in `00 00 ff ff`.
 */
class ZlibStream {
  private readonly deflate: Deflate = createDeflate({ chunkSize: 65535 });
  private pending: Buffer[] = [];
  private waiter: ((frame: Buffer) => void) | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor() {
    this.deflate.on('data', (chunk: Buffer) => {
      this.pending.push(chunk);
      this.release();
    });
  }

  /** Resolves the waiting message once its bytes end with the sync-flush marker. */
  private release(): void {
    const frame = Buffer.concat(this.pending);
    if (this.waiter === undefined || frame.length < 4 || !frame.subarray(-4).equals(SYNC_FLUSH_SUFFIX))
      return;
    this.pending = [];
    const done = this.waiter;
    this.waiter = undefined;
    done(frame);
  }

  encode(text: string): Promise<Buffer> {
    // Messages are compressed one at a time: a frame must hold exactly one flushed message.
    const next = this.chain.then(
      () =>
        new Promise<Buffer>((resolve) => {
          this.waiter = resolve;
          this.deflate.write(text);
          this.deflate.flush(constants.Z_SYNC_FLUSH, () => this.release());
        }),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.deflate.destroy();
  }
}

/** Encodes outgoing gateway payloads for one connection, preserving their order. */
export class GatewayEncoder {
  private readonly stream: ZlibStream | undefined;
  private payloadCompression = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly compression: 'none' | 'zlib-stream') {
    this.stream = compression === 'zlib-stream' ? new ZlibStream() : undefined;
  }

  /** After an IDENTIFY with `compress: true`: dispatches go out as whole zlib blobs. */
  enablePayloadCompression(): void {
    if (this.stream === undefined) this.payloadCompression = true;
  }

  get mode(): GatewayCompression {
    return this.stream !== undefined ? 'zlib-stream' : this.payloadCompression ? 'payload' : 'none';
  }

  /** Encodes then hands the frame to `send`, in call order; resolves once handed over. */
  send(
    payload: { op: number } & Record<string, unknown>,
    send: (frame: string | Buffer) => Promise<void>,
  ): Promise<void> {
    const text = JSON.stringify(payload);
    const frame: Promise<string | Buffer> =
      this.stream !== undefined
        ? this.stream.encode(text)
        : Promise.resolve(this.payloadCompression && payload.op === 0 ? deflateSync(text) : text);
    const next = this.chain.then(async () => send(await frame));
    this.chain = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.stream?.close();
  }
}
