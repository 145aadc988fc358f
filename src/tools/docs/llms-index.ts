import { canonicalPath, isDocsHost, PUBLIC_HUB } from './docs-urls.js';

/**
 * A library's `llms.txt` (the llmstxt.org format the Hub publishes per docs root): an H1 title, an
 * optional `> summary`, then `## Section` groups of `- [Title](https://huggingface.co/docs/<lib>/<version>/<page>.md)`
 * links, optionally followed by `: description`. It is the only list of a library's pages (the
 * sidebar is rendered client-side), so the search starts from it.
 */
export interface LlmsEntry {
  title: string;
  /** The page's path on the Hub as linked (version-pinned, no `.md`). */
  path: string;
  description?: string;
  /** The `##` group it is listed under. */
  group?: string;
}

export interface LlmsIndex {
  root: string;
  title: string;
  summary?: string;
  entries: LlmsEntry[];
}

const LINK = /^\s*[-*]\s+\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)(?:\s*(?::|\s-|–)\s*(.*))?\s*$/;

/**
 * The pages `text` lists, only those on a docs host (huggingface.co, hf.co or `HF_ENDPOINT`) under
 * `/docs` or `/learn`, each once.
 */
export function parseLlmsTxt(root: string, text: string, hubUrl: string): LlmsIndex {
  const base = `${PUBLIC_HUB}/${root}/llms.txt`;
  const seen = new Set<string>();
  const entries: LlmsEntry[] = [];
  let title = root;
  let summary: string | undefined;
  let group: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const h1 = /^#\s+(.+?)\s*$/.exec(line);
    if (h1?.[1] && entries.length === 0) {
      title = h1[1];
      continue;
    }
    const quote = /^>\s+(.+?)\s*$/.exec(line);
    if (quote?.[1] && summary === undefined && entries.length === 0) {
      summary = quote[1];
      continue;
    }
    const heading = /^#{2,3}\s+(.+?)\s*$/.exec(line);
    if (heading?.[1]) {
      group = heading[1];
      continue;
    }
    const link = LINK.exec(line);
    if (!link?.[1] || !link[2]) continue;
    let url: URL;
    try {
      url = new URL(link[2], base);
    } catch {
      continue;
    }
    if (!isDocsHost(url, hubUrl) || !/^\/(?:docs|learn)\//.test(url.pathname)) continue;
    const path = url.pathname.replace(/\.md$/, '');
    const key = canonicalPath(path);
    if (seen.has(key)) continue;
    seen.add(key);
    const description = link[3]?.trim();
    entries.push({
      title: link[1].trim(),
      path,
      ...(description ? { description } : {}),
      ...(group ? { group } : {}),
    });
  }
  return { root, title, ...(summary ? { summary } : {}), entries };
}
