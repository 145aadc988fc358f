/** Small text helpers for the repo tools' results. */

/** Bytes as the Hub shows them (decimal units): 532 B, 1.2 kB, 548 MB. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return `${bytes} B`;
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  // 1.20 MB reads as 1.2 MB, and a limit of 1.00 MB as 1 MB.
  const shown =
    unit === 0
      ? String(value)
      : value
          .toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)
          .replace(/(\.\d*?)0+$/, '$1')
          .replace(/\.$/, '');
  return `${shown} ${units[unit]}`;
}

/** A fenced block that the text cannot close early: the fence is longer than any backtick run in it. */
export function fenced(text: string, language = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}`;
}

/** The first `max` characters of one line of user text (titles, comments), whitespace folded. */
export function oneLine(text: string, max = 200): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > max ? `${folded.slice(0, max - 1)}…` : folded;
}

export function shortOid(oid: string | undefined): string {
  return oid ? oid.slice(0, 8) : '?';
}
