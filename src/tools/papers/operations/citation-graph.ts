import { formatCitationGraph, type GraphPart } from '../format-s2-papers.js';
import { limitOf, type PapersArgs } from '../parameters.js';
import type { PapersDeps } from '../papers-deps.js';
import { paperEdges } from '../semantic-scholar-api.js';
import { requireArxivId } from './required-args.js';

/**
 * References and citations from Semantic Scholar, with influence flags, and for citations the
 * citing sentences and intents. Both directions are asked at once; when one fails and the other
 * does not, the result shows the one and says why the other is missing.
 */
export async function citationGraph(
  deps: PapersDeps,
  args: PapersArgs,
  signal: AbortSignal,
): Promise<string> {
  const { bare } = requireArxivId(args);
  const limit = limitOf(args);
  const direction = args.direction ?? 'both';
  const kinds = (['references', 'citations'] as const).filter(
    (kind) => direction === 'both' || direction === kind,
  );
  const settled = await Promise.allSettled(kinds.map((kind) => paperEdges(deps, bare, kind, limit, signal)));
  const failures = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failures.length === settled.length) throw failures[0]?.reason;
  const parts = new Map<string, GraphPart>();
  kinds.forEach((kind, index) => {
    const result = settled[index];
    if (!result) return;
    parts.set(
      kind,
      result.status === 'fulfilled'
        ? { edges: result.value }
        : {
            edges: undefined,
            failure: result.reason instanceof Error ? result.reason.message : String(result.reason),
          },
    );
  });
  return formatCitationGraph(bare, parts.get('references'), parts.get('citations'));
}
