/**
 * One attempt's own abort controller, tied to the caller's signal, plus a timer that aborts the
 * attempt when the server goes quiet. SDK timeouts end at the response headers; this one also
 * covers silence in the middle of a stream. `arm()` restarts the timer on every event.
 */
export class StallGuard {
  readonly signal: AbortSignal;
  stalled = false;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort = (): void => this.controller.abort();

  constructor(
    private readonly caller: AbortSignal,
    private readonly timeoutMs: number,
  ) {
    this.signal = this.controller.signal;
    caller.addEventListener('abort', this.onCallerAbort, { once: true });
    this.arm();
  }

  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort();
    }, this.timeoutMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller.removeEventListener('abort', this.onCallerAbort);
  }
}
