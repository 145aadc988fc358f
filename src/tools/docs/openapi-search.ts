import MiniSearch from 'minisearch';
import type { ApiOperation } from './openapi-catalog.js';

/**
 * Keyword search over the Hub's operations (MiniSearch, BM25), weighted as the reference weighs
 * them: summary, then operationId, path, tags, parameter names, description. "space logs" finds
 * `GET /api/spaces/{namespace}/{repo}/logs/{logType}` by prefix ("space" → "spaces").
 */
export function searchOperations(
  operations: readonly ApiOperation[],
  query: string,
  tag: string | undefined,
  limit: number,
): ApiOperation[] {
  const index = new MiniSearch<{
    id: number;
    summary: string;
    operationId: string;
    path: string;
    tags: string;
    params: string;
    description: string;
  }>({
    fields: ['summary', 'operationId', 'path', 'tags', 'params', 'description'],
    // operationIds are camelCase ("listRepoTree"): split them into words as well.
    tokenize: (text) =>
      text
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .split(/[\s\p{P}\p{S}]+/u)
        .filter(Boolean),
    searchOptions: {
      boost: { summary: 3, operationId: 2.5, path: 2, tags: 1.5, params: 1.25 },
      prefix: (term) => term.length > 2,
      fuzzy: (term) => (term.length > 5 ? 0.2 : false),
      combineWith: 'OR',
    },
  });
  index.addAll(
    operations.map((op, id) => ({
      id,
      summary: op.summary,
      operationId: op.operationId ?? '',
      path: op.path,
      tags: op.tags.join(' '),
      params:
        op.parameters.map((p) => p.name).join(' ') +
        ' ' +
        (op.body?.fields.map((f) => f.name).join(' ') ?? ''),
      description: op.description,
    })),
  );
  const wanted = tag?.toLowerCase();
  const hits: ApiOperation[] = [];
  for (const result of index.search(query)) {
    const op = operations[result.id as number];
    if (!op || (wanted && !op.tags.some((t) => t.toLowerCase() === wanted))) continue;
    hits.push(op);
    if (hits.length >= limit) break;
  }
  return hits;
}
