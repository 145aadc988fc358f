import { ToolInputError } from '../shared/service-error.js';

/** A host name of two labels or more: `huggingface.co`, `docs.python.org`. */
const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * `https://www.HuggingFace.co/docs` → `huggingface.co`: what a model writes for a domain, reduced to
 * the host it means (`www.` and a leading `*.` dropped, since a domain covers its subdomains here).
 */
export function normalizeDomain(input: string): string {
  const host = input
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^\*\./, '')
    .split(/[/?#]/)[0]
    ?.replace(/:\d+$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  if (!host || !DOMAIN.test(host)) {
    throw new ToolInputError(`'${input}' is not a domain (like 'huggingface.co' or 'arxiv.org').`);
  }
  return host;
}

/** Whether `url` is on `domain` or one of its subdomains (`docs.python.org` is on `python.org`). */
export function onDomain(url: string, domain: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return false;
  }
  return host === domain || host.endsWith(`.${domain}`);
}

export interface DomainFilter {
  allowed: string[];
  blocked: string[];
}

/** Keeps results on an allowed domain (when any is given) and on no blocked one. */
export function passesFilter(url: string, filter: DomainFilter): boolean {
  if (filter.allowed.length > 0 && !filter.allowed.some((domain) => onDomain(url, domain))) return false;
  return !filter.blocked.some((domain) => onDomain(url, domain));
}

/**
 * The filter as search operators for an engine that has no filter parameters (the keyless page):
 * `site:a.org` for one allowed domain, `(site:a.org OR site:b.org)` for several, `-site:c.com` for
 * each blocked one. The results are filtered again afterwards, so an engine that ignores an operator
 * costs results, never correctness.
 */
export function withSiteOperators(query: string, filter: DomainFilter): string {
  const parts = [query.trim()];
  if (filter.allowed.length === 1) parts.push(`site:${filter.allowed[0]}`);
  if (filter.allowed.length > 1)
    parts.push(`(${filter.allowed.map((domain) => `site:${domain}`).join(' OR ')})`);
  for (const domain of filter.blocked) parts.push(`-site:${domain}`);
  return parts.join(' ');
}
