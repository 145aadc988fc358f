import type { SlackFile } from './inbound-message.js';

const TEXT_TYPES = /^(text\/|application\/(json|x-yaml|yaml|xml|x-python|javascript|x-sh|toml|csv))/;
const TEXT_EXTENSIONS =
  /\.(txt|md|csv|tsv|json|jsonl|ya?ml|toml|py|ipynb|sh|js|ts|log|cfg|ini|xml|html|sql)$/i;

/**
 * Reads the text files attached to a message (up to `maxBytes` each) and names the others, so the
 * model always knows what was attached. Downloads use the bot token, as Slack requires.
 */
export async function describeAttachments(
  files: readonly SlackFile[],
  options: { botToken: string; maxBytes: number; fetch: typeof fetch },
): Promise<string> {
  const parts: string[] = [];
  for (const file of files) {
    const url = file.url_private_download ?? file.url_private;
    const isText = TEXT_TYPES.test(file.mimetype) || TEXT_EXTENSIONS.test(file.name);
    if (!isText || !url) {
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
      const response = await options.fetch(url, { headers: { Authorization: `Bearer ${options.botToken}` } });
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
