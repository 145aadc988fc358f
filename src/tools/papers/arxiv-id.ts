import { ToolInputError } from '../shared/service-error.js';

/**
 * An arXiv identifier as the model gave it, checked before any request goes out (a typo would
 * otherwise come back as three different 404s from three services).
 */
export interface ArxivId {
  /** As asked, version included (`2401.12345v2`): arXiv serves that version's HTML. */
  id: string;
  /** Without the version (`2401.12345`): the Hub and Semantic Scholar know papers, not versions. */
  bare: string;
}

/** `2401.12345`, `0704.0001`, optionally `v2` (the scheme since April 2007). */
const NEW_STYLE = /^(\d{4}\.\d{4,5})(v\d+)?$/;
/** `cs/0112017`, `math.GT/0309136`, `hep-th/9901001v3` (before April 2007). */
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/;

/**
 * Reads an arXiv id from what the model sent: a bare id, `arXiv:<id>`, or an arXiv / Hugging Face
 * paper URL (`https://arxiv.org/abs/…`, `/pdf/….pdf`, `/html/…`, `https://huggingface.co/papers/…`).
 */
export function parseArxivId(input: string): ArxivId {
  const candidate = stripWrapping(input.trim());
  const match = NEW_STYLE.exec(candidate) ?? OLD_STYLE.exec(candidate);
  if (!match?.[1]) {
    throw new ToolInputError(
      `'${input.slice(0, 80)}' is not an arXiv id. Use the form 2401.12345 (a version such as 2401.12345v2 is fine), ` +
        `or the pre-2007 form cs/0112017; search first to find a paper's id.`,
    );
  }
  return { id: candidate, bare: match[1] };
}

/** Comma-separated ids (recommend's positive_ids / negative_ids), each checked. */
export function parseArxivIdList(input: string | undefined): ArxivId[] {
  if (!input) return [];
  return input
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(parseArxivId);
}

function stripWrapping(text: string): string {
  let value = text.replace(/^arxiv:\s*/i, '');
  const url =
    /^https?:\/\/(?:www\.|export\.)?(?:arxiv\.org|huggingface\.co|hf\.co)\/(?:abs|pdf|html|papers)\/(.+)$/i.exec(
      value,
    );
  if (url?.[1]) value = url[1];
  return value
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .replace(/\.(pdf|md)$/i, '');
}
