/**
 * The Block Kit limits Slack enforces on messages and views, checked the way Slack reports them:
 * one message per problem with a JSON pointer (`must be less than 3001 characters
 * [json-pointer:/blocks/0/text/text]`). The fake refuses what Slack refuses, so a renderer that
 * forgets to split long text fails in tests, not in a workspace.
 */

/** Blocks per message (`chat.postMessage`, `chat.update`). */
export const MAX_MESSAGE_BLOCKS = 50;
/** Blocks per modal or Home tab view. */
export const MAX_VIEW_BLOCKS = 100;

const LIMITS = {
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  markdownBlockText: 12000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
};

type Problem = string;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
}

function tooLong(text: string | undefined, max: number, pointer: string): Problem[] {
  return text !== undefined && text.length > max
    ? [`must be less than ${max + 1} characters [json-pointer:${pointer}]`]
    : [];
}

function checkElement(element: unknown, pointer: string): Problem[] {
  if (!isRecord(element)) return [`must be an object [json-pointer:${pointer}]`];
  const problems: Problem[] = [];
  if (typeof element.action_id === 'string')
    problems.push(...tooLong(element.action_id, LIMITS.id, `${pointer}/action_id`));
  if (element.type === 'button') {
    problems.push(...tooLong(textOf(element.text), LIMITS.buttonText, `${pointer}/text/text`));
    if (typeof element.value === 'string')
      problems.push(...tooLong(element.value, LIMITS.buttonValue, `${pointer}/value`));
  }
  return problems;
}

function checkBlock(block: unknown, pointer: string, blockIds: Set<string>): Problem[] {
  if (!isRecord(block) || typeof block.type !== 'string' || block.type === '')
    return [`missing required field: type [json-pointer:${pointer}]`];
  const problems: Problem[] = [];
  if (typeof block.block_id === 'string') {
    if (blockIds.has(block.block_id))
      problems.push(`duplicate block_id: ${block.block_id} [json-pointer:${pointer}/block_id]`);
    blockIds.add(block.block_id);
    problems.push(...tooLong(block.block_id, LIMITS.id, `${pointer}/block_id`));
  }
  switch (block.type) {
    case 'section': {
      problems.push(...tooLong(textOf(block.text), LIMITS.sectionText, `${pointer}/text/text`));
      const fields = Array.isArray(block.fields) ? block.fields : [];
      if (fields.length > LIMITS.sectionFields)
        problems.push(
          `must provide no more than ${LIMITS.sectionFields} items [json-pointer:${pointer}/fields]`,
        );
      fields.forEach((f, i) =>
        problems.push(...tooLong(textOf(f), LIMITS.sectionField, `${pointer}/fields/${i}/text`)),
      );
      if (textOf(block.text) === undefined && fields.length === 0)
        problems.push(`must provide text or fields [json-pointer:${pointer}]`);
      if (block.accessory !== undefined)
        problems.push(...checkElement(block.accessory, `${pointer}/accessory`));
      break;
    }
    case 'header':
      problems.push(...tooLong(textOf(block.text), LIMITS.headerText, `${pointer}/text/text`));
      break;
    case 'markdown':
      if (typeof block.text === 'string')
        problems.push(...tooLong(block.text, LIMITS.markdownBlockText, `${pointer}/text`));
      break;
    case 'context':
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      const max = block.type === 'context' ? LIMITS.contextElements : LIMITS.actionsElements;
      if (elements.length === 0)
        problems.push(`must provide at least 1 item [json-pointer:${pointer}/elements]`);
      if (elements.length > max)
        problems.push(`must provide no more than ${max} items [json-pointer:${pointer}/elements]`);
      const actionIds = new Set<string>();
      elements.forEach((e, i) => {
        const at = `${pointer}/elements/${i}`;
        if (block.type === 'actions') problems.push(...checkElement(e, at));
        const id = isRecord(e) && typeof e.action_id === 'string' ? e.action_id : undefined;
        if (id !== undefined && actionIds.has(id))
          problems.push(`duplicate action_id: ${id} [json-pointer:${at}/action_id]`);
        if (id !== undefined) actionIds.add(id);
      });
      break;
    }
    default:
      break;
  }
  return problems;
}

/**
 * The problems Slack would report for these blocks (empty when valid). `blocks` that is not an
 * array is itself a problem, as Slack answers `invalid_blocks_format`.
 */
export function blockProblems(blocks: unknown, maxBlocks: number): Problem[] {
  if (!Array.isArray(blocks)) return ['must be an array [json-pointer:/blocks]'];
  const problems: Problem[] = [];
  if (blocks.length > maxBlocks)
    problems.push(`must provide no more than ${maxBlocks} items [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => problems.push(...checkBlock(b, `/blocks/${i}`, blockIds)));
  return problems;
}

/** Slack's answer to invalid blocks: the error, the list, and the same list as `[ERROR]` lines. */
export function invalidBlocksResult(
  error: string,
  problems: Problem[],
): { ok: false } & Record<string, unknown> {
  return {
    ok: false,
    error,
    errors: problems,
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
  };
}
