/**
 * Which training recipe a dataset's columns fit, so the model writes the right trainer config
 * instead of guessing column names (the reference's system prompt: "SFT: messages, text, or
 * prompt/completion; DPO: prompt, chosen, rejected; GRPO: prompt"; the formats are TRL's).
 */

export interface ColumnView {
  /** Column names, in schema order. */
  names: string[];
  /** The column's feature, when the schema is known. */
  feature(name: string): unknown;
  /** A sample value of the column, when a row was fetched. */
  sample(name: string): unknown;
}

export function trainingFormat(columns: ColumnView): string[] {
  const has = (name: string): boolean => columns.names.includes(name);
  const chat = (name: string): boolean => isConversational(columns.feature(name), columns.sample(name));
  const lines: string[] = [];
  if (has('chosen') && has('rejected')) {
    const style = chat('chosen') ? 'conversational' : 'standard';
    lines.push(
      has('prompt')
        ? `Preference, ${style} (\`prompt\`, \`chosen\`, \`rejected\`): ready for DPO, ORPO or reward modeling.`
        : `Preference with the prompt inside \`chosen\`/\`rejected\` (${style}): DPO and reward modeling accept it as is.`,
    );
  }
  if (has('prompt') && has('completion') && has('label')) {
    lines.push('Unpaired preference (`prompt`, `completion`, `label`): ready for KTO.');
  } else if (has('prompt') && has('completion')) {
    const style = chat('prompt') ? 'conversational' : 'standard';
    lines.push(
      `Prompt-completion, ${style} (\`prompt\`, \`completion\`): ready for SFT (loss on the completion).`,
    );
  }
  if (has('prompt') && has('completions') && has('labels')) {
    lines.push('Stepwise supervision (`prompt`, `completions`, `labels`): ready for PRM training.');
  }
  if (has('prompt') && !has('completion') && !has('completions') && !has('chosen')) {
    lines.push('Prompt-only (`prompt`): ready for GRPO / online RL (add a reward function).');
  }
  if (has('messages')) {
    lines.push(
      chat('messages')
        ? 'Conversational (`messages`, a list of {role, content}): ready for SFT; the chat template applies.'
        : '`messages` column found, but not as a list of {role, content}: check it before SFT.',
    );
  }
  if (has('conversations') && !has('messages')) {
    lines.push(
      chat('conversations')
        ? 'Conversational under `conversations` (role/content): rename it to `messages` for SFT.'
        : 'ShareGPT-style `conversations` (from/value): map it to `messages` with role/content before SFT.',
    );
  }
  if (has('text') && lines.length === 0)
    lines.push('Language modeling (`text`): ready for SFT / continued pretraining.');
  if (lines.length === 0) {
    lines.push(
      'No standard training columns: map them first (SFT: `messages`, `text` or `prompt`+`completion`; DPO: `prompt`+`chosen`+`rejected`; GRPO: `prompt`).',
    );
  }
  return lines;
}

/** A list of {role, content} messages: by its feature (list of a struct with role) or a sample value. */
function isConversational(feature: unknown, sample: unknown): boolean {
  const item = listItem(feature);
  if (item && typeof item === 'object' && !Array.isArray(item) && 'role' in item) return true;
  const value = typeof sample === 'string' ? parseJson(sample) : sample;
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((m) => typeof m === 'object' && m !== null && 'role' in (m as object))
  );
}

/** The item feature of a list feature (`List`, `Sequence`, `LargeList` or the legacy `[feature]`). */
function listItem(feature: unknown): unknown {
  if (Array.isArray(feature)) return feature[0];
  if (typeof feature !== 'object' || feature === null) return undefined;
  const record = feature as Record<string, unknown>;
  return ['List', 'LargeList', 'Sequence'].includes(String(record._type)) ? record.feature : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
