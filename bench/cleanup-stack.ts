import { progress } from './progress.js';

/**
 * Undo actions (stop workers and children, stop the private Redis, delete keys), run last-in
 * first-out. Drained after every section, so one section's leftovers never add load to the next,
 * and once more on the way out, whether the bench ends normally, throws, or is interrupted.
 */
export class CleanupStack {
  private readonly actions: Array<{ label: string; run: () => Promise<void> }> = [];
  private running: Promise<void> | undefined;

  push(label: string, run: () => Promise<void>): void {
    this.actions.push({ label, run });
  }

  runAll(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    for (let action = this.actions.pop(); action; action = this.actions.pop()) {
      try {
        await action.run();
      } catch (err) {
        progress(`cleanup "${action.label}" failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
