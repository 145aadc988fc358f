import type { RepoSuggestion } from './code-search.js';

/** "812 B", "4.2 kB", "1.3 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** One line of text for a table cell or a list item: no newlines, no pipes, cut short. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatSuggestions(repos: RepoSuggestion[]): string {
  return repos
    .map((repo, index) => {
      const description = repo.description ? ` — ${oneLine(repo.description, 100)}` : '';
      return `${index + 1}. **${repo.fullName}** (★ ${repo.stars.toLocaleString('en')})${description}\n   ${repo.url}`;
    })
    .join('\n');
}
