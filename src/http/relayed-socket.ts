import { Duplex } from 'node:stream';

/** What a relayed socket asks of the thread that holds the real connection. */
export type RelayCommand =
  | { t: 'write'; id: number; data: Uint8Array }
  | { t: 'end'; id: number }
  | { t: 'destroy'; id: number }
  | { t: 'pause'; id: number }
  | { t: 'resume'; id: number };

export interface RelayedPeer {
  remoteAddress?: string;
  remotePort?: number;
  localPort?: number;
}

/**
 * One TCP connection accepted by the accept thread (see accept-thread.ts), as the main thread's HTTP
 * server sees it: a Duplex whose reads are the bytes the thread received and whose writes go back to
 * the thread. It has what node:http asks of a socket beyond a Duplex (idle timeouts, which carry the
 * keep-alive timeout; no-ops for the options the thread's socket already has).
 */
export class RelayedSocket extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  private readonly localPort: number | undefined;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private paused = false;

  constructor(
    readonly id: number,
    private readonly send: (command: RelayCommand, transfer?: ArrayBuffer[]) => void,
    peer: RelayedPeer,
  ) {
    super({ allowHalfOpen: true });
    this.remoteAddress = peer.remoteAddress;
    this.remotePort = peer.remotePort;
    this.localPort = peer.localPort;
  }

  /** Bytes from the client (the thread read them). */
  received(data: Uint8Array): void {
    this.touch();
    const more = this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    if (!more && !this.paused) {
      this.paused = true;
      this.send({ t: 'pause', id: this.id });
    }
  }

  /** The client ended its side. */
  receivedEnd(): void {
    this.push(null);
  }

  /** The thread's socket closed (the client went, or it was destroyed). */
  closedByPeer(): void {
    if (!this.destroyed) this.destroy();
  }

  override _read(): void {
    if (!this.paused) return;
    this.paused = false;
    this.send({ t: 'resume', id: this.id });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.forward(chunk);
    callback();
  }

  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    callback: (err?: Error | null) => void,
  ): void {
    this.forward(Buffer.concat(chunks.map((c) => c.chunk)));
    callback();
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.send({ t: 'end', id: this.id });
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    this.send({ t: 'destroy', id: this.id });
    callback(err);
  }

  /** As `net.Socket#setTimeout`: 'timeout' after `ms` without traffic (node:http's keep-alive uses it). */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.idleMs = ms;
    if (onTimeout) this.once('timeout', onTimeout);
    this.touch();
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  address(): { port: number | undefined } {
    return { port: this.localPort };
  }

  private forward(bytes: Buffer): void {
    this.touch();
    // A copy of exactly these bytes, moved (not cloned) to the thread.
    const data = new Uint8Array(bytes);
    this.send({ t: 'write', id: this.id, data }, [data.buffer]);
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.idleMs > 0 && !this.destroyed) {
      this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
      this.idleTimer.unref();
    }
  }
}
