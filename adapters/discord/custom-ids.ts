/**
 * Component custom ids (≤ 100 characters): `mlib:<verb>:<sessionId>[:<toolCallId>]`. They are only
 * a pointer: every click is checked against the session, its thread and its pending calls.
 */
export type ComponentAction =
  | { verb: 'approve' | 'reject' | 'feedback'; sessionId: string; toolCallId: string }
  | { verb: 'all' | 'stop'; sessionId: string };

const VERBS = { approve: 'a', reject: 'r', feedback: 'f', all: 'all', stop: 'stop' } as const;
const BY_CODE = new Map<string, ComponentAction['verb']>(
  Object.entries(VERBS).map(([v, c]) => [c, v as ComponentAction['verb']]),
);

export function customId(action: ComponentAction): string {
  const parts = ['mlib', VERBS[action.verb], action.sessionId];
  if ('toolCallId' in action) parts.push(action.toolCallId);
  const id = parts.join(':');
  if (id.length > 100) throw new Error(`custom id too long (${id.length})`);
  return id;
}

export function parseCustomId(id: string): ComponentAction | undefined {
  const [prefix, code, sessionId, toolCallId, ...rest] = id.split(':');
  const verb = code === undefined ? undefined : BY_CODE.get(code);
  if (prefix !== 'mlib' || !verb || !sessionId || rest.length > 0) return undefined;
  if (verb === 'all' || verb === 'stop') return toolCallId === undefined ? { verb, sessionId } : undefined;
  return toolCallId ? { verb, sessionId, toolCallId } : undefined;
}

/** The feedback modal's id carries the call it is about. */
export const FEEDBACK_MODAL_PREFIX = 'mlib:fb:';
