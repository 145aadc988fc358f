import type { Logger } from 'pino';

/**
 * The process's last line of defence, installed once by `main`:
 * - an unhandled promise rejection is logged with its reason (the `err` serialized: type, message,
 *   code, stack) and the process goes on: one stray rejection in a library must not take down a
 *   bot that is serving other threads;
 * - an uncaught exception is logged the same way at `fatal` and the process exits 1, as Node's own
 *   default does but never silently (the state after a synchronous throw is unknown; the
 *   orchestrator restarts the process and the queue hands its work to another worker).
 *
 * @returns a function that removes both handlers (tests).
 */
export function installProcessHandlers(
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const onRejection = (reason: unknown): void => {
    logger.error({ err: asError(reason) }, 'unhandled promise rejection (the process goes on)');
  };
  const onException = (err: Error): void => {
    logger.fatal({ err: asError(err) }, 'uncaught exception; exiting');
    exit(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

/** A rejection's reason can be anything; the logger's `err` serializer wants an Error. */
function asError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return new Error(`non-error rejection: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`);
}
