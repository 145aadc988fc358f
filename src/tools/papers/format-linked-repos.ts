import { count, truncate } from './format-text.js';
import type { LinkedRepo, PaperCollection } from './hub-linked-repos-api.js';
import { PUBLIC_HUB, paperPageUrl } from './papers-deps.js';

/** Repos and collections linked to a paper, as the reference lists them, with Hub links. */

const DESCRIPTION_CHARS = 300;

/** Tags that repeat what the heading says (`arxiv:`) or say nothing (`region:`). */
const interestingTags = (tags: readonly string[] | null | undefined): string[] =>
  (tags ?? []).filter((tag) => !tag.startsWith('arxiv:') && !tag.startsWith('region:')).slice(0, 5);

export function formatDatasets(datasets: readonly LinkedRepo[], arxivId: string, sort: string): string {
  const lines = [
    `# Datasets linked to paper ${arxivId}`,
    paperPageUrl(arxivId),
    `Showing ${datasets.length} dataset(s), sorted by ${sort}`,
    '',
  ];
  datasets.forEach((dataset, index) => {
    lines.push(`**${index + 1}. [${dataset.id}](${PUBLIC_HUB}/datasets/${dataset.id})**`);
    lines.push(`   Downloads: ${count(dataset.downloads)} | Likes: ${count(dataset.likes)}`);
    const tags = interestingTags(dataset.tags);
    if (tags.length > 0) lines.push(`   Tags: ${tags.join(', ')}`);
    // The Hub's description is the card's start, with tabs and blank lines from its HTML.
    const description = truncate(dataset.description ?? '', DESCRIPTION_CHARS);
    if (description) lines.push(`   ${description}`);
    lines.push('');
  });
  const top = datasets[0];
  if (top) lines.push(`Next: hf_inspect_dataset with dataset="${top.id}" to see its splits and rows.`);
  return lines.join('\n');
}

export function formatModels(models: readonly LinkedRepo[], arxivId: string, sort: string): string {
  const lines = [
    `# Models linked to paper ${arxivId}`,
    paperPageUrl(arxivId),
    `Showing ${models.length} model(s), sorted by ${sort}`,
    '',
  ];
  models.forEach((model, index) => {
    lines.push(`**${index + 1}. [${model.id}](${PUBLIC_HUB}/${model.id})**`);
    let meta = `   Downloads: ${count(model.downloads)} | Likes: ${count(model.likes)}`;
    if (model.pipeline_tag) meta += ` | Task: ${model.pipeline_tag}`;
    if (model.library_name) meta += ` | Library: ${model.library_name}`;
    lines.push(meta, '');
  });
  return lines.join('\n');
}

export function formatCollections(collections: readonly PaperCollection[], arxivId: string): string {
  const lines = [
    `# Collections containing paper ${arxivId}`,
    `Showing ${collections.length} collection(s)`,
    '',
  ];
  collections.forEach((collection, index) => {
    lines.push(`**${index + 1}. ${collection.title ?? 'Untitled'}**`);
    lines.push(`   By: ${collection.owner?.name ?? '?'} | Upvotes: ${count(collection.upvotes)}`);
    lines.push(`   ${PUBLIC_HUB}/collections/${collection.slug}`);
    const description = truncate(collection.description ?? '', DESCRIPTION_CHARS);
    if (description) lines.push(`   ${description}`);
    // The listing shows a collection's first items only (at most 4).
    const items = (collection.items ?? [])
      .filter((item) => item.id)
      .map((item) => `${item.type ?? '?'} ${item.id}`);
    if (items.length > 0) lines.push(`   First items: ${items.join(', ')}`);
    lines.push('');
  });
  return lines.join('\n');
}

export function noneLinked(what: string, arxivId: string): string {
  return `No ${what} found linked to paper ${arxivId}.\n${paperPageUrl(arxivId)}`;
}
