import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';

/**
 * arXiv's HTML papers under ARXIV_URL: `GET /html/<id>` (and `/html/<archive>/<number>` for pre-2007
 * ids). An id without a version serves the latest version; an id arXiv has no HTML for is a 404
 * with an HTML page. Pages are LaTeXML 0.8 output as arXiv serves it (page chrome, a navbar with
 * the table of contents, `article.ltx_document`, `section.ltx_section` with
 * `h2.ltx_title > span.ltx_tag`, MathML with `alttext`, figures, tabulars, footnotes, appendices,
 * bibliography, footer), built by {@link arxivHtmlPage}.
 */

export interface ArxivWorld {
  /** Versioned id (`2401.12345v2`) → the HTML arXiv serves for it. */
  pages: Record<string, string>;
  answer?: (request: LoopbackRequest) => LoopbackAnswer | undefined;
}

function lookup(world: ArxivWorld, id: string): string | undefined {
  if (world.pages[id] !== undefined) return world.pages[id];
  if (/v\d+$/.test(id)) return undefined;
  const versions = Object.keys(world.pages)
    .filter((key) => key.startsWith(`${id}v`) && /^v\d+$/.test(key.slice(id.length)))
    .sort((a, b) => Number(b.slice(id.length + 1)) - Number(a.slice(id.length + 1)));
  return versions[0] === undefined ? undefined : world.pages[versions[0]];
}

function noHtml(id: string): LoopbackAnswer {
  return {
    status: 404,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body:
      `<!DOCTYPE html><html lang="en"><head><title>No HTML for '${id}'</title></head><body>` +
      `<h1>No HTML for '${id}'</h1><p>HTML is not available for the source. This could be due to the ` +
      `source files not being HTML, LaTeX, or a conversion failure.</p></body></html>`,
  };
}

export function arxivRoutes(world: ArxivWorld): Route[] {
  const serve = (request: LoopbackRequest): LoopbackAnswer => {
    const scripted = world.answer?.(request);
    if (scripted) return scripted;
    const id = request.params.archive
      ? `${request.params.archive}/${request.params.id}`
      : (request.params.id ?? '');
    const page = lookup(world, id);
    if (page === undefined) return noHtml(id);
    return { body: page, headers: { 'content-type': 'text/html; charset=utf-8' } };
  };
  return [
    { method: 'GET', path: '/html/:id', handle: serve },
    { method: 'GET', path: '/html/:archive/:id', handle: serve },
  ];
}

// ---------------------------------------------------------------------------------------------
// Building a LaTeXML page
// ---------------------------------------------------------------------------------------------

export interface ArxivSectionSpec {
  title: string;
  /** Paragraph bodies; HTML is kept as is (use {@link inlineMath}, {@link citation}, {@link footnote}). */
  paragraphs?: string[];
  subsections?: ArxivSectionSpec[];
  figureCaption?: string;
  table?: { caption: string; rows: string[][] };
  displayMath?: string;
  /** Acknowledgements and the like: no number. */
  unnumbered?: boolean;
}

export interface ArxivPageSpec {
  /** Versioned id, as in the page's `<base href="/html/<id>/">`. */
  id: string;
  title: string;
  authors?: string[];
  abstract: string;
  sections: ArxivSectionSpec[];
  appendices?: ArxivSectionSpec[];
  bibliography?: string[];
}

const escapeAttr = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

let mathCounter = 0;

/** LaTeXML's inline MathML: presentation markup, TeX in `alttext` and in an annotation. */
export function inlineMath(tex: string, display: 'inline' | 'block' = 'inline'): string {
  const id = `m${++mathCounter}`;
  return (
    `<math alttext="${escapeAttr(tex)}" class="ltx_Math" display="${display}" id="${id}">` +
    `<semantics id="${id}a"><mrow id="${id}b"><mi id="${id}c">x</mi><mo id="${id}d">=</mo><mi>y</mi></mrow>` +
    `<annotation-xml encoding="MathML-Content" id="${id}e"><ci>x</ci></annotation-xml>` +
    `<annotation encoding="application/x-tex" id="${id}f">${escapeAttr(tex)}</annotation>` +
    `<annotation encoding="application/x-llamapun" id="${id}g">x = y</annotation></semantics></math>`
  );
}

export function citation(label: string, bibIndex: number): string {
  return (
    `<cite class="ltx_cite ltx_citemacro_citep">(<a class="ltx_ref" href="#bib.bib${bibIndex}" title="">` +
    `${label}</a>)</cite>`
  );
}

let footnoteCounter = 0;

export function footnote(html: string): string {
  const n = ++footnoteCounter;
  return (
    `<span class="ltx_note ltx_role_footnote" id="footnote${n}"><sup class="ltx_note_mark">${n}</sup>` +
    `<span class="ltx_note_outer"><span class="ltx_note_content"><sup class="ltx_note_mark">${n}</sup>` +
    `<span class="ltx_tag ltx_tag_note">${n}</span>${html}</span></span></span>`
  );
}

function sectionHtml(
  spec: ArxivSectionSpec,
  kind: 'section' | 'subsection' | 'subsubsection' | 'appendix',
  number: string,
  htmlId: string,
): string {
  const heading =
    kind === 'appendix' ? 'h2' : kind === 'section' ? 'h2' : kind === 'subsection' ? 'h3' : 'h4';
  const tag = spec.unnumbered
    ? ''
    : `<span class="ltx_tag ltx_tag_${kind}">${kind === 'appendix' ? `Appendix ${number}` : number} </span>`;
  const parts = [
    `<section class="ltx_${kind}" id="${htmlId}">`,
    `<${heading} class="ltx_title ltx_title_${kind}">${tag}${spec.title}</${heading}>`,
  ];
  (spec.paragraphs ?? []).forEach((paragraph, index) => {
    parts.push(
      `<div class="ltx_para" id="${htmlId}.p${index + 1}">`,
      `<p class="ltx_p" id="${htmlId}.p${index + 1}.1">${paragraph}</p>`,
      '</div>',
    );
  });
  if (spec.displayMath) {
    parts.push(
      `<table class="ltx_equation ltx_eqn_table" id="${htmlId}.E1"><tbody><tr class="ltx_equation ltx_eqn_row ltx_align_baseline">`,
      '<td class="ltx_eqn_cell ltx_eqn_center_padleft"></td>',
      `<td class="ltx_eqn_cell ltx_align_center">${inlineMath(spec.displayMath, 'block')}</td>`,
      '<td class="ltx_eqn_cell ltx_eqn_center_padright"></td>',
      '<td class="ltx_eqn_cell ltx_eqn_eqno ltx_align_middle ltx_align_right" rowspan="1">',
      '<span class="ltx_tag ltx_tag_equation ltx_align_right">(1)</span></td></tr></tbody></table>',
    );
  }
  if (spec.figureCaption) {
    parts.push(
      `<figure class="ltx_figure" id="${htmlId}.F1"><img alt="Refer to caption" class="ltx_graphics ltx_centering ltx_img_landscape" height="200" id="${htmlId}.F1.g1" src="x1.png" width="598"/>`,
      `<figcaption class="ltx_caption ltx_centering"><span class="ltx_tag ltx_tag_figure">Figure 1: </span>${spec.figureCaption}</figcaption></figure>`,
    );
  }
  if (spec.table) {
    const [head, ...body] = spec.table.rows;
    const cells = (row: string[], cell: 'th' | 'td'): string =>
      `<tr class="ltx_tr">${row.map((text) => `<${cell} class="ltx_td ltx_align_left">${text}</${cell}>`).join('')}</tr>`;
    parts.push(
      `<figure class="ltx_table" id="${htmlId}.T1">`,
      `<figcaption class="ltx_caption ltx_centering"><span class="ltx_tag ltx_tag_table">Table 1: </span>${spec.table.caption}</figcaption>`,
      `<table class="ltx_tabular ltx_centering ltx_guessed_headers ltx_align_middle" id="${htmlId}.T1.1">`,
      `<thead class="ltx_thead">${head ? cells(head, 'th') : ''}</thead>`,
      `<tbody class="ltx_tbody">${body.map((row) => cells(row, 'td')).join('')}</tbody></table></figure>`,
    );
  }
  const subKind = kind === 'section' || kind === 'appendix' ? 'subsection' : 'subsubsection';
  (spec.subsections ?? []).forEach((sub, index) => {
    parts.push(sectionHtml(sub, subKind, `${number}.${index + 1}`, `${htmlId}.SS${index + 1}`));
  });
  parts.push('</section>');
  return parts.join('\n');
}

/** A whole arXiv HTML page, chrome included, as arXiv serves it. */
export function arxivHtmlPage(spec: ArxivPageSpec): string {
  let numbered = 0;
  let unnumbered = 0;
  const sections = spec.sections.map((section) => {
    if (section.unnumbered) return sectionHtml(section, 'section', '', `Sx${++unnumbered}`);
    numbered += 1;
    return sectionHtml(section, 'section', String(numbered), `S${numbered}`);
  });
  const appendices = (spec.appendices ?? []).map((appendix, index) =>
    sectionHtml(appendix, 'appendix', String.fromCharCode(65 + index), `A${index + 1}`),
  );
  const toc = spec.sections
    .map(
      (section, index) =>
        `<li class="ltx_tocentry ltx_tocentry_section"><a class="ltx_ref" href="#S${index + 1}" title="${escapeAttr(section.title)}">` +
        `<span class="ltx_text ltx_ref_title"><span class="ltx_tag ltx_tag_ref">${index + 1} </span>${section.title}</span></a></li>`,
    )
    .join('');
  const bibliography = spec.bibliography?.length
    ? [
        '<section class="ltx_bibliography" id="bib">',
        '<h2 class="ltx_title ltx_title_bibliography">References</h2>',
        '<ul class="ltx_biblist">',
        ...spec.bibliography.map(
          (entry, index) =>
            `<li class="ltx_bibitem" id="bib.bib${index + 1}"><span class="ltx_tag ltx_role_refnum ltx_tag_bibitem">[${index + 1}]</span>` +
            `<span class="ltx_bibblock">${entry}</span></li>`,
        ),
        '</ul></section>',
      ].join('\n')
    : '';
  const authors = (spec.authors ?? ['Ada Lovelace'])
    .map(
      (name) =>
        `<span class="ltx_creator ltx_role_author"><span class="ltx_personname">${name}<br class="ltx_break"/>` +
        `Example University<br class="ltx_break"/><span class="ltx_text ltx_font_typewriter">${name.split(' ')[0]?.toLowerCase()}@example.org</span></span></span>`,
    )
    .join('<span class="ltx_author_before">  </span>');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta content="text/html; charset=utf-8" http-equiv="content-type"/>
<title>${spec.title}</title>
<!--Generated on Mon Jan 22 18:59:59 2024 by LaTeXML (version 0.8.7) http://dlmf.nist.gov/LaTeXML/.-->
<meta content="width=device-width, initial-scale=1, shrink-to-fit=no" name="viewport"/>
<link href="https://arxiv.org/static/browse/0.3.4/css/ar5iv.0.7.9.min.css" rel="stylesheet" type="text/css"/>
<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.0/dist/js/bootstrap.bundle.min.js"></script>
<base href="/html/${spec.id}/"/></head>
<body>
<header class="desktop_header"><div class="html-header-logo"><a href="https://arxiv.org/">Back to arXiv</a></div>
<div class="html-header-message" role="banner"><p>This is <strong>experimental HTML</strong> to improve accessibility.</p></div></header>
<div class="package-alerts ltx_document" role="status" aria-label="Conversion errors have been found">
<button aria-label="Dismiss alert">x</button><p>HTML conversions sometimes display errors due to content that did not convert correctly from the source.</p></div>
<nav class="ltx_page_navbar"><nav class="ltx_TOC"><ol class="ltx_toclist">${toc}</ol></nav></nav>
<div class="ltx_page_main">
<div class="ltx_page_content">
<article class="ltx_document ltx_authors_1line">
<h1 class="ltx_title ltx_title_document">${spec.title}</h1>
<div class="ltx_authors">${authors}</div>
<div class="ltx_abstract">
<h6 class="ltx_title ltx_title_abstract">Abstract</h6>
<p class="ltx_p" id="id1.id1">${spec.abstract}</p>
</div>
${sections.join('\n')}
${appendices.join('\n')}
${bibliography}
</article>
</div>
<footer class="ltx_page_footer">
<div class="ltx_page_logo">Generated on Mon Jan 22 18:59:59 2024 by <a class="ltx_LaTeXML_logo" href="http://dlmf.nist.gov/LaTeXML/">LaTeXML</a></div>
</footer>
</div>
</body>
</html>
`;
}
