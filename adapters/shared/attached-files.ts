/** A file attached to a chat message, platform-neutral. */
export interface AttachedFile {
  name: string;
  mimetype: string;
  size: number;
  /** Where it downloads from; undefined when the platform gave none. */
  url: string | undefined;
}

const TEXT_TYPES = /^(text\/|application\/(json|x-yaml|yaml|xml|x-python|javascript|x-sh|toml|csv))/;
const TEXT_EXTENSIONS =
  /\.(txt|md|csv|tsv|json|jsonl|ya?ml|toml|py|ipynb|sh|js|ts|log|cfg|ini|xml|html|sql)$/i;

/**
 * Reads the text files attached to a message (up to `maxBytes` each) and names the others, so the
 * model always knows what was attached. `headers` carries what the platform needs to download
 * (Slack: the bot token).
 */
export async function describeAttachments(
  files: readonly AttachedFile[],
  options: { headers?: Record<string, string>; maxBytes: number; fetch: typeof fetch },
): Promise<string> {
  const parts: string[] = [];
  for (const file of files) {
    const isText = TEXT_TYPES.test(file.mimetype) || TEXT_EXTENSIONS.test(file.name);
    if (!isText || !file.url) {
      parts.push(
        `[Attached file "${file.name}" (${file.mimetype}, ${file.size} bytes): not text, not read.]`,
      );
      continue;
    }
    if (file.size > options.maxBytes) {
      parts.push(
        `[Attached file "${file.name}" (${file.size} bytes): over the ${options.maxBytes}-byte limit, not read.]`,
      );
      continue;
    }
    try {
      const response = await options.fetch(file.url, { headers: options.headers ?? {} });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = (await response.text()).slice(0, options.maxBytes);
      parts.push(`[Attached file "${file.name}"]\n\`\`\`\n${text}\n\`\`\``);
    } catch (err) {
      parts.push(
        `[Attached file "${file.name}": could not be downloaded (${err instanceof Error ? err.message : 'error'}).]`,
      );
    }
  }
  return parts.join('\n\n');
}
