/**
 * Where documentation pages are, and which URLs count as documentation. The Hub serves every docs
 * page as Markdown at its URL plus `.md` (`/docs/trl/sft_trainer.md`, `text/markdown`) and a
 * per-library index at `/docs/<lib>/llms.txt` whose links are version-pinned
 * (`/docs/transformers/v5.14.0/quicktour.md`); the unversioned URL serves the same page, so results
 * link the unversioned one. Requests always go to `HF_ENDPOINT`; the public host is for links only.
 */

/** The host links are written with (`https://huggingface.co/docs/...`). */
export const PUBLIC_HUB = 'https://huggingface.co';

const DOCS_HOSTS = new Set(['huggingface.co', 'www.huggingface.co', 'hf.co']);
const DOCS_PATH = /^\/(?:docs|learn)\/[^/]+/;

/** A documentation page: its path on the Hub (no `.md`) and the heading anchor asked for. */
export interface DocsLocation {
  path: string;
  fragment: string | undefined;
}

/** Whether `url`'s host is one the docs are read from: huggingface.co, hf.co or `HF_ENDPOINT`'s. */
export function isDocsHost(url: URL, hubUrl: string): boolean {
  return DOCS_HOSTS.has(url.hostname.toLowerCase()) || url.host === new URL(hubUrl).host;
}

/**
 * The docs page `input` names (a full URL, `/docs/...`, or `huggingface.co/docs/...`), or why it is
 * refused: another host, a non-docs path, credentials in the URL. Checked before any request, so
 * the token is only ever sent to `HF_ENDPOINT`.
 */
export function docsLocation(input: string, hubUrl: string): DocsLocation | { refused: string } {
  const trimmed = input.trim();
  const absolute = /^(?:www\.)?(?:huggingface\.co|hf\.co)\//i.test(trimmed) ? `https://${trimmed}` : trimmed;
  let url: URL;
  try {
    url = new URL(absolute, `${PUBLIC_HUB}/`);
  } catch {
    return { refused: `"${input}" is not a URL.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { refused: `${url.protocol} URLs are not documentation pages.` };
  }
  if (url.username || url.password) return { refused: 'A docs URL carries no credentials.' };
  if (!isDocsHost(url, hubUrl)) {
    return {
      refused: `fetch_hf_docs reads Hugging Face documentation only (https://huggingface.co/docs/… or /learn/…), not ${url.host}; use web_search or github_read_file for other pages.`,
    };
  }
  if (!DOCS_PATH.test(url.pathname)) {
    return {
      refused: `${url.pathname} is not a documentation page: docs live under /docs/<library>/ or /learn/<course>/. Use explore_hf_docs to find one.`,
    };
  }
  const fragment = url.hash ? safeDecode(url.hash.slice(1)) : undefined;
  return { path: url.pathname.replace(/\.md$/, ''), fragment: fragment || undefined };
}

/** The request URL of a page's Markdown on `HF_ENDPOINT` (an index page is `<root>/index.md`). */
export function markdownUrl(hubUrl: string, path: string): string {
  let page = path.replace(/\.md$/, '');
  if (page.endsWith('/')) page += 'index';
  else if (/^\/(?:docs|learn)\/[^/]+$/.test(page)) page += '/index';
  return `${hubUrl.replace(/\/+$/, '')}${page}.md`;
}

/**
 * The evergreen path of a page: no `.md`, no version pin (`/v0.24.0/`, `/main/`) and no default
 * language (`/en/`) after the library, as the pages' own `rel=canonical` declares.
 */
export function canonicalPath(path: string): string {
  const page = path.replace(/\.md$/, '').replace(/\/index$/, '');
  const docs = /^\/docs\/([^/]+)\/(.*)$/.exec(page);
  if (!docs) return page;
  const rest = (docs[2] ?? '').replace(/^(?:v\d+(?:\.\d+)+[\w.-]*|main)(?:\/|$)/, '').replace(/^en\//, '');
  return rest ? `/docs/${docs[1]}/${rest}` : `/docs/${docs[1]}`;
}

/** The public link of a page, for results. */
export function publicUrl(path: string, fragment?: string): string {
  return `${PUBLIC_HUB}${canonicalPath(path)}${fragment ? `#${fragment}` : ''}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
