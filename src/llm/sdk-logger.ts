/** Where retries are reported; pino's `warn(obj, msg)` fits. */
export interface ProviderLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** The logger shape both the Anthropic and the OpenAI SDK accept. */
export interface SdkLogger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/** The SDK's own warnings and errors go to our logger, tagged with `source`; its chatter is dropped. */
export function sdkLoggerFor(logger: ProviderLogger, source: string): SdkLogger {
  const warn = (message: string, ...rest: unknown[]): void => logger.warn({ source, details: rest }, message);
  const ignore = (): void => undefined;
  return { error: warn, warn, info: ignore, debug: ignore };
}
