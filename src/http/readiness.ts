import type { Redis } from 'ioredis';

/** Whether the process can do its work now, and if not, why (one line for `/readyz`). */
export type ReadinessState = { ready: true } | { ready: false; reason: string };

/** A part of the process that must be connected for it to be ready (a chat adapter). */
export interface ReadinessComponent {
  connected(): boolean;
}

/**
 * What `/readyz` answers: ready when Redis answers (connection `ready` and a PING within a short
 * deadline) and every configured adapter reports `connected()`. An adapter that is configured but
 * still starting counts as not connected, and so does a process that is shutting down, so a load
 * balancer stops sending it work first.
 */
export class Readiness {
  private readonly components = new Map<string, ReadinessComponent | undefined>();
  private stopping = false;

  constructor(
    private readonly redis: Pick<Redis, 'status' | 'ping'>,
    private readonly pingTimeoutMs = 1_000,
  ) {}

  /** A component that is configured: not ready until {@link attach} gives its handle. */
  expect(name: string): void {
    if (!this.components.has(name)) this.components.set(name, undefined);
  }

  attach(name: string, component: ReadinessComponent): void {
    this.components.set(name, component);
  }

  /** From now on not ready (graceful shutdown). */
  stop(): void {
    this.stopping = true;
  }

  async check(): Promise<ReadinessState> {
    if (this.stopping) return { ready: false, reason: 'shutting down' };
    const redis = await this.redisState();
    if (!redis.ready) return redis;
    for (const [name, component] of this.components) {
      if (!component) return { ready: false, reason: `${name}: starting` };
      if (!component.connected()) return { ready: false, reason: `${name}: not connected` };
    }
    return { ready: true };
  }

  private async redisState(): Promise<ReadinessState> {
    // While ioredis reconnects, a PING would wait in its offline queue; the status says it at once.
    if (this.redis.status !== 'ready') return { ready: false, reason: `redis: ${this.redis.status}` };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ReadinessState>((resolve) => {
      timer = setTimeout(
        () => resolve({ ready: false, reason: `redis: no PING answer within ${this.pingTimeoutMs} ms` }),
        this.pingTimeoutMs,
      );
    });
    const ping = this.redis.ping().then(
      (): ReadinessState => ({ ready: true }),
      (err: unknown): ReadinessState => ({
        ready: false,
        reason: `redis: ${(err instanceof Error ? err.message : String(err)).split('\n')[0] ?? ''}`,
      }),
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
