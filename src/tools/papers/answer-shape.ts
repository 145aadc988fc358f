import type { z } from 'zod';
import type { ServiceInfo } from '../shared/service-client.js';
import { ServiceError } from '../shared/service-error.js';

/**
 * Checks a service's JSON against the fields the tool reads. The schemas only name what is used
 * and allow null or missing values, so a new field never breaks a call; an answer of the wrong
 * kind (an object where a list belongs) is reported as a malformed answer, not a crash.
 */
export function answerOfShape<T>(
  schema: z.ZodType<T>,
  value: unknown,
  service: ServiceInfo,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new ServiceError(
    `${service.label} answered ${what} in an unexpected shape${where}; try again later.`,
  );
}
