/**
 * Component custom ids (≤ 100 characters): `mlib:<verb>:<sessionId>[:<toolCallId>|:<jobId>]`. They
 * are only a pointer: every click is checked against the session, its thread and its pending calls
 * (or, for a job card's Cancel, the card the session stored for that job).
 */
export type ComponentAction =
  | { verb: 'approve' | 'reject' | 'feedback'; sessionId: string; toolCallId: string }
  | { verb: 'all' | 'stop'; sessionId: string }
  | { verb: 'cancel_job'; sessionId: string; jobId: string };

const VERBS = {
  approve: 'a',
  reject: 'r',
  feedback: 'f',
  all: 'all',
  stop: 'stop',
  cancel_job: 'cj',
} as const;
const BY_CODE = new Map<string, ComponentAction['verb']>(
  Object.entries(VERBS).map(([v, c]) => [c, v as ComponentAction['verb']]),
);

/** Discord's limit on a component's custom id. */
export const MAX_CUSTOM_ID_CHARS = 100;

export function customId(action: ComponentAction): string {
  const parts = ['mlib', VERBS[action.verb], action.sessionId];
  if ('toolCallId' in action) parts.push(action.toolCallId);
  if ('jobId' in action) parts.push(action.jobId);
  const id = parts.join(':');
  if (id.length > MAX_CUSTOM_ID_CHARS) throw new Error(`custom id too long (${id.length})`);
  return id;
}

export function parseCustomId(id: string): ComponentAction | undefined {
  const [prefix, code, sessionId, target, ...rest] = id.split(':');
  const verb = code === undefined ? undefined : BY_CODE.get(code);
  if (prefix !== 'mlib' || !verb || !sessionId || rest.length > 0) return undefined;
  if (verb === 'all' || verb === 'stop') return target === undefined ? { verb, sessionId } : undefined;
  if (verb === 'cancel_job') return target ? { verb, sessionId, jobId: target } : undefined;
  return target ? { verb, sessionId, toolCallId: target } : undefined;
}

/** The feedback modal's id carries the call it is about. */
export const FEEDBACK_MODAL_PREFIX = 'mlib:fb:';
