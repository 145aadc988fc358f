/** How long one closing step may take before shutdown goes on without it. */
export const CLOSE_STEP_MS = 2_000;

/**
 * Waits for a closing step, but at most `ms`: BullMQ's queue and worker closes wait on their
 * connection, which never comes back while Redis is away, and a process told to stop must stop.
 * Resolves `true` when the step finished in time; a step that fails counts as finished.
 */
export async function closeWithin(step: Promise<unknown>, ms = CLOSE_STEP_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      step.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
