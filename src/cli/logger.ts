import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The process logger: JSON lines on stderr (or a file, for the interactive chat whose screen
 * belongs to the user).
 *
 * Redaction runs on each finished line, after pino's serializers: an `err` keeps its type, message,
 * code, stack and cause (an Error stringified before serializing would be `{}`), and a secret is
 * caught wherever it sits in the line, message, bindings or error alike.
 */
export function createLogger(options: {
  level: string;
  file?: string;
  redact?: (text: string) => string;
}): Logger {
  const destination = options.file
    ? pino.destination({ dest: options.file, mkdir: true, sync: true })
    : pino.destination({ dest: 2, sync: true });
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      serializers: { err: pino.stdSerializers.errWithCause, error: pino.stdSerializers.errWithCause },
    },
    options.redact ? redactingStream(destination, options.redact) : destination,
  );
}

/** A destination that redacts each line before it is written. */
export function redactingStream(
  inner: DestinationStream,
  redact: (text: string) => string,
): DestinationStream {
  return { write: (line: string) => inner.write(redact(line)) };
}
