import { parse, type HTMLElement } from 'node-html-parser';
import { htmlToText } from './html-text.js';

/**
 * arXiv's HTML papers are LaTeXML documents: `<article class="ltx_document">` with an
 * `<h1 class="ltx_title ltx_title_document">`, a `<div class="ltx_abstract">`, and nested
 * `<section class="ltx_section|ltx_subsection|ltx_subsubsection|ltx_appendix|ltx_bibliography">`,
 * each opening with `<hN class="ltx_title"><span class="ltx_tag">4.2 </span>Title</hN>`.
 * (Older LaTeXML output, as on ar5iv, uses `<div class="ltx_section">` the same way.)
 */
export interface ParsedPaper {
  title: string;
  abstract: string;
  sections: PaperSection[];
}

export interface PaperSection {
  /** `4`, `4.2`, `A` (appendices); empty for unnumbered ones (Acknowledgements, References). */
  number: string;
  title: string;
  /** 1 for a section or appendix, 2 for a subsection, … (from the nesting, not the class). */
  level: number;
  /** The section's own text, without its subsections (they are the next entries). */
  text: string;
}

const SECTION_CLASSES = [
  'ltx_chapter',
  'ltx_section',
  'ltx_subsection',
  'ltx_subsubsection',
  'ltx_appendix',
  'ltx_bibliography',
  'ltx_index',
];

/** Page furniture around the document (arXiv's banner, the table of contents, the footer). */
const FURNITURE = 'nav, header, footer, script, style, .ltx_page_navbar, .ltx_page_footer, .ltx_TOC';

export function parsePaperHtml(html: string): ParsedPaper {
  const root = parse(html, { comment: false });
  for (const element of root.querySelectorAll(FURNITURE)) element.remove();
  const document = root.querySelector('article.ltx_document') ?? root.querySelector('.ltx_document') ?? root;

  const heading = document.querySelector('.ltx_title_document');
  const title = (heading ? htmlToText(heading) : (root.querySelector('title')?.text ?? ''))
    .replace(/^Title:\s*/, '')
    .trim();

  const abstractElement = document.querySelector('.ltx_abstract');
  const abstract = abstractElement ? htmlToText(abstractElement, isTitle).replace(/^Abstract\s*/i, '') : '';

  const sections: PaperSection[] = [];
  collectSections(document, 1, sections);
  return { title, abstract, sections };
}

function isSection(element: HTMLElement): boolean {
  return SECTION_CLASSES.some((name) => element.classList.contains(name));
}

function isTitle(element: HTMLElement): boolean {
  return element.classList.contains('ltx_title') && /^h[1-6]$/i.test(element.rawTagName ?? '');
}

function collectSections(parent: HTMLElement, level: number, into: PaperSection[]): void {
  for (const child of parent.children) {
    if (!isSection(child)) {
      collectSections(child, level, into);
      continue;
    }
    const heading = child.children.find(isTitle);
    const tag = heading?.querySelector('.ltx_tag');
    const tagText = tag ? htmlToText(tag) : '';
    tag?.remove();
    into.push({
      number: tagText
        .replace(/^(appendix|chapter|section)\s+/i, '')
        .replace(/[.:]$/, '')
        .trim(),
      title: heading ? htmlToText(heading) : '',
      level,
      text: htmlToText(child, (element) => element === heading || (element !== child && isSection(element))),
    });
    collectSections(child, level + 1, into);
  }
}
