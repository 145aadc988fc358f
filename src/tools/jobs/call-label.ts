import { createHash } from 'node:crypto';

/**
 * The label every job the intern launches carries: `mlib-call=<tool call id>`. A recovered or
 * retried call lists the namespace's jobs with it and takes the one it finds instead of launching
 * again, so a worker killed mid-POST never leaves two jobs.
 */
export const CALL_LABEL = 'mlib-call';

/** Label values stay in the set that label filters and URLs carry untouched. */
const MAX_VALUE = 63;

/**
 * The label value for a tool call id: letters, digits, `.`, `_` and `-` kept, anything else `-`;
 * an id too long (or with nothing left) ends in a hash of the whole id, so two ids never share one.
 */
export function callLabelValue(toolCallId: string): string {
  const cleaned = toolCallId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned.length > 0 && cleaned.length <= MAX_VALUE && cleaned === toolCallId) return cleaned;
  const hash = createHash('sha256').update(toolCallId).digest('hex').slice(0, 12);
  const head = cleaned.slice(0, MAX_VALUE - hash.length - 1).replace(/[^A-Za-z0-9]+$/, '');
  return head ? `${head}-${hash}` : `call-${hash}`;
}

export function callLabels(toolCallId: string): Record<string, string> {
  return { [CALL_LABEL]: callLabelValue(toolCallId) };
}
