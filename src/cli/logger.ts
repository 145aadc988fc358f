import { pino, type Logger } from 'pino';

/**
 * The process logger: JSON lines on stderr (or a file, for the interactive chat whose screen
 * belongs to the user). Secrets are redacted by the caller-supplied function on every message.
 */
export function createLogger(options: {
  level: string;
  file?: string;
  redact?: (text: string) => string;
}): Logger {
  const destination = options.file
    ? pino.destination({ dest: options.file, mkdir: true, sync: true })
    : pino.destination(2);
  const redact = options.redact;
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      ...(redact
        ? {
            hooks: {
              logMethod(args, method) {
                method.apply(
                  this,
                  args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>,
                );
              },
            },
            formatters: {
              log: (object: Record<string, unknown>) =>
                JSON.parse(redact(JSON.stringify(object))) as Record<string, unknown>,
            },
          }
        : {}),
    },
    destination,
  );
}
