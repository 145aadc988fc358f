import { ToolInputError } from '../shared/service-error.js';

/**
 * The dataset id the model gave, as the viewer wants it: `owner/name` (or a legacy canonical name),
 * also accepted as a Hub URL (`https://huggingface.co/datasets/owner/name`), which models often paste.
 */
export function datasetId(input: string): string {
  const id = input
    .trim()
    .replace(/^https?:\/\/(www\.)?huggingface\.co\//i, '')
    .replace(/^datasets\//, '')
    .replace(/\/(viewer|tree|blob)\/.*$/, '')
    .replace(/\/+$/, '');
  if (!/^[A-Za-z0-9][\w.-]{0,95}(\/[\w.-]{1,96})?$/.test(id) || id.includes('..')) {
    throw new ToolInputError(
      `"${input.slice(0, 120)}" is not a dataset id: give it as owner/name, e.g. "stanfordnlp/imdb".`,
    );
  }
  return id;
}
