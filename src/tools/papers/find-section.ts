import type { PaperSection } from './arxiv-html-parser.js';

/**
 * The section the model asked for, the way the reference matches it: the number first (`4`,
 * `4.2`, `A`; `Section 4` and `4.` too), then the exact title, then a part of a title. Returns
 * the index in the flat list, so that the caller can take the subsections that follow.
 */
export function findSection(sections: readonly PaperSection[], asked: string): number | undefined {
  const query = asked.trim().toLowerCase();
  const number = query.replace(/^(section|sec\.?|appendix|§)\s*/, '').replace(/\.$/, '');
  const byNumber = sections.findIndex((s) => s.number !== '' && s.number.toLowerCase() === number);
  if (byNumber >= 0) return byNumber;
  const fullTitle = (s: PaperSection): string => `${s.number} ${s.title}`.trim().toLowerCase();
  const exact = sections.findIndex((s) => s.title.toLowerCase() === query || fullTitle(s) === query);
  if (exact >= 0) return exact;
  const partial = sections.findIndex((s) => s.title.toLowerCase().includes(query));
  return partial >= 0 ? partial : undefined;
}

/** The section at `index` and every deeper one right after it (its subsections). */
export function sectionWithSubsections(sections: readonly PaperSection[], index: number): PaperSection[] {
  const head = sections[index];
  if (!head) return [];
  const out = [head];
  for (const next of sections.slice(index + 1)) {
    if (next.level <= head.level) break;
    out.push(next);
  }
  return out;
}

export function sectionLabel(section: PaperSection): string {
  return [section.number, section.title].filter((part) => part.length > 0).join(' ') || '(untitled section)';
}
