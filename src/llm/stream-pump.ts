import { CallbackError } from './call-failure.js';
import type { AttemptProgress } from './retry-loop.js';
import type { StallGuard } from './stall-guard.js';

/**
 * Reads a provider's event stream to its end: each event re-arms the stall timer and is folded by
 * `apply`, whose text goes to `onText`. An `onText` that throws is wrapped, so the retry loop passes
 * the caller's own error through instead of retrying it.
 */
export async function pumpStream<E>(
  stream: AsyncIterable<E>,
  apply: (event: E) => string,
  onText: ((delta: string) => void) | undefined,
  guard: StallGuard,
  progress: AttemptProgress,
): Promise<void> {
  for await (const event of stream) {
    guard.arm();
    const delta = apply(event);
    if (delta.length === 0 || onText === undefined) continue;
    progress.textEmitted = true;
    try {
      onText(delta);
    } catch (err) {
      throw new CallbackError('onText threw', { cause: err });
    }
  }
}
