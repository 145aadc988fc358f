import type { ClientOptions } from '@anthropic-ai/sdk';

/** Where retries are reported; pino's `warn(obj, msg)` fits. */
export interface ProviderLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** The SDK's own warnings and errors go to our logger; its chatter is dropped. */
export function sdkLoggerFor(logger: ProviderLogger): NonNullable<ClientOptions['logger']> {
  const warn = (message: string, ...rest: unknown[]): void =>
    logger.warn({ source: 'anthropic-sdk', details: rest }, message);
  const ignore = (): void => undefined;
  return { error: warn, warn, info: ignore, debug: ignore };
}
