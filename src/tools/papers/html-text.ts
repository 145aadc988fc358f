import { NodeType, type HTMLElement, type Node } from 'node-html-parser';

/**
 * Plain text from LaTeXML's HTML (what arXiv serves at /html/<id>), for a model to read: paragraphs
 * stay paragraphs, math becomes its TeX (`$…$`, from `alttext`), tables become `a | b` rows,
 * figures keep their captions, footnotes are inlined, and page furniture is dropped.
 */

/** Markers for structure, kept apart from the source's own whitespace until the end. */
const PARAGRAPH = '\u0000';
const LINE = '\u0001';

const DROPPED = new Set([
  'script',
  'style',
  'svg',
  'img',
  'button',
  'nav',
  'header',
  'footer',
  'noscript',
  'input',
]);
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'figure',
  'figcaption',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'dl',
  'dd',
  'dt',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

/**
 * The text of `root`; elements for which `skip` answers true (nested sections read separately)
 * are left out with everything inside them.
 */
export function htmlToText(root: HTMLElement, skip: (element: HTMLElement) => boolean = () => false): string {
  return tidy(render(root, skip));
}

function render(node: Node, skip: (element: HTMLElement) => boolean): string {
  if (node.nodeType === NodeType.TEXT_NODE) return node.text.replace(/\s+/g, ' ');
  if (node.nodeType !== NodeType.ELEMENT_NODE) return '';
  const element = node as HTMLElement;
  const tag = element.rawTagName?.toLowerCase() ?? '';
  if (skip(element) || DROPPED.has(tag)) return '';
  const classes = element.classList;
  if (tag === 'math') return math(element);
  if (tag === 'br') return LINE;
  // A footnote's number, printed again inside its text.
  if (classes.contains('ltx_note_mark') || classes.contains('ltx_tag_note')) return '';
  if (classes.contains('ltx_note_outer')) return ` (footnote: ${children(element, skip).trim()})`;
  if (tag === 'table') return `${PARAGRAPH}${children(element, skip)}${PARAGRAPH}`;
  if (tag === 'tr') return row(element, skip);
  if (tag === 'li') return `${LINE}- ${children(element, skip).trim()}${LINE}`;
  // Bibliography entries: the label, then blocks that LaTeXML writes without a space between.
  if (classes.contains('ltx_bibblock')) return ` ${children(element, skip)}`;
  const inner = children(element, skip);
  if (tag === 'a') return link(element, inner);
  return BLOCKS.has(tag) ? `${PARAGRAPH}${inner}${PARAGRAPH}` : inner;
}

/** A link to the web keeps its address when its text does not show it ("code is here"). */
function link(element: HTMLElement, inner: string): string {
  const href = element.getAttribute('href') ?? '';
  if (!/^https?:\/\//.test(href) || inner.includes(href.replace(/^https?:\/\//, '').replace(/\/$/, ''))) {
    return inner;
  }
  return `${inner} (${href})`;
}

function children(element: HTMLElement, skip: (element: HTMLElement) => boolean): string {
  return element.childNodes.map((child) => render(child, skip)).join('');
}

/** TeX is what a model reads best; MathML's presentation tree renders as noise. */
function math(element: HTMLElement): string {
  const tex = (element.getAttribute('alttext') ?? element.text).replace(/\s+/g, ' ').trim();
  if (!tex) return '';
  return element.getAttribute('display') === 'block' ? `${PARAGRAPH}$$${tex}$$${PARAGRAPH}` : ` $${tex}$ `;
}

/** A table row as `cell | cell`, empty cells (layout padding) left out. */
function row(element: HTMLElement, skip: (element: HTMLElement) => boolean): string {
  const cells = element.childNodes
    .filter((child): child is HTMLElement => child.nodeType === NodeType.ELEMENT_NODE)
    .map((cell) => tidy(render(cell, skip)).replace(/\n+/g, ' '))
    .filter((text) => text.length > 0);
  return cells.length > 0 ? `${LINE}${cells.join(' | ')}${LINE}` : '';
}

function tidy(text: string): string {
  return text
    .split(PARAGRAPH)
    .map((block) =>
      block
        .split(LINE)
        .map((line) =>
          line
            .replace(/\s+/g, ' ')
            .replace(/\s+([.,;:)])/g, '$1')
            .trim(),
        )
        .filter((line) => line.length > 0)
        .join('\n'),
    )
    .filter((block) => block.length > 0)
    .join('\n\n');
}
