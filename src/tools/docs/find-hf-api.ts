import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import type { ToolServices } from '../tool-services.js';
import type { DocsCallOptions } from './docs-client.js';
import { loadApiCatalog, type ApiCatalog, type ApiOperation } from './openapi-catalog.js';
import { curlFor } from './openapi-request.js';
import { searchOperations } from './openapi-search.js';

/** Operations shown in full (parameters and a request); more in a tag are listed one a line. */
const DETAILED = 8;

const parameters = z.object({
  query: z
    .string()
    .optional()
    .describe(
      'Keywords for the endpoint ("space logs", "create branch", "organization members", "jwt token", "security scan").',
    ),
  tag: z
    .string()
    .optional()
    .describe(
      'An API category (models, datasets, spaces, repos, orgs, jobs, …) to browse or to search within. Call with no arguments to list the tags.',
    ),
});

/** `find_hf_api`: find Hub REST endpoints in the Hub's OpenAPI description, with a ready curl request. */
export function findHfApiTool(services: ToolServices, options: DocsCallOptions): AnyToolSpec {
  return defineTool({
    name: 'find_hf_api',
    description:
      "Find Hugging Face Hub REST API endpoints (from the Hub's OpenAPI description) for operations no other tool " +
      'covers: Space logs and metrics, organization members, collections, discussions, webhooks, access requests, ' +
      'security scans, repo settings. Search with query, browse a category with tag, or both; no arguments lists ' +
      'the tags. Each endpoint comes with its parameters and a curl request using $HF_TOKEN.',
    parameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const catalog = await loadApiCatalog(services, ctx.signal, options);
      const query = args.query?.trim() || undefined;
      const tag = args.tag?.trim() || undefined;
      const knownTag = tag
        ? catalog.tags.find((t) => t.name.toLowerCase() === tag.toLowerCase())?.name
        : undefined;
      if (tag && !knownTag) {
        throw new ToolInputError(
          `Unknown tag "${tag}". Tags: ${catalog.tags.map((t) => t.name).join(', ')}.`,
        );
      }
      const output = !query && !knownTag ? listTags(catalog) : findOperations(catalog, query, knownTag);
      return { output: trimOutput(output, undefined, 'search with a narrower query, or within one tag') };
    },
  });
}

function listTags(catalog: ApiCatalog): string {
  const counts = new Map<string, number>();
  for (const op of catalog.operations) for (const tag of op.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [
    `# ${catalog.title}: ${catalog.operations.length} endpoints in ${catalog.tags.length} tags`,
    'Call find_hf_api with a query ("space logs") or a tag to see endpoints with their parameters and a curl request.',
    '',
    ...catalog.tags.map(
      (t) => `- \`${t.name}\` (${counts.get(t.name) ?? 0})${t.description ? `: ${t.description}` : ''}`,
    ),
  ].join('\n');
}

function findOperations(catalog: ApiCatalog, query: string | undefined, tag: string | undefined): string {
  const inTag = tag ? catalog.operations.filter((op) => op.tags.includes(tag)) : [];
  let hits = query ? searchOperations(catalog.operations, query, tag, DETAILED) : inTag;
  let note = '';
  if (query && hits.length === 0) {
    if (!tag) {
      return `No Hub API endpoint matches "${query}". Try other words, or browse a tag: ${catalog.tags.map((t) => t.name).join(', ')}.`;
    }
    hits = inTag;
    note = `No endpoint in \`${tag}\` matches "${query}"; here is the whole tag.\n`;
  }
  const title = query && note === '' ? `"${query}"${tag ? ` in \`${tag}\`` : ''}` : `tag \`${tag}\``;
  const detailed = hits.slice(0, DETAILED);
  const rest = hits.slice(DETAILED);
  return [
    `# Hub API endpoints for ${title}: ${hits.length} found`,
    note,
    ...detailed.map(formatOperation),
    ...(rest.length > 0
      ? [
          `## ${rest.length} more (add a query for their parameters and request)`,
          ...rest.map((op) => `- ${op.method} ${op.path} — ${op.summary}`),
        ]
      : []),
  ].join('\n');
}

function formatOperation(op: ApiOperation, i: number): string {
  const lines = [`## ${i + 1}. ${op.method} ${op.path}${op.summary ? ` — ${op.summary}` : ''}`];
  if (op.tags.length > 0) lines.push(`Tags: ${op.tags.join(', ')}`);
  if (op.description && op.description !== op.summary) lines.push(op.description);
  if (op.parameters.length > 0) {
    lines.push('Parameters:');
    for (const p of op.parameters) {
      const facts = [
        p.in,
        p.type,
        p.required ? 'required' : 'optional',
        ...(p.default !== undefined ? [`default ${JSON.stringify(p.default)}`] : []),
        ...(p.enum ? [`one of ${p.enum.map((v) => JSON.stringify(v)).join('|')}`] : []),
      ];
      lines.push(
        `- \`${p.name}\` (${facts.filter(Boolean).join(', ')})${p.description ? `: ${p.description}` : ''}`,
      );
    }
  }
  if (op.body && op.body.fields.length > 0) {
    lines.push(`Body (${op.body.contentType}${op.body.required ? ', required' : ''}):`);
    for (const f of op.body.fields) {
      const facts = [
        f.type,
        f.required ? 'required' : 'optional',
        ...(f.enum ? [`one of ${f.enum.map((v) => JSON.stringify(v)).join('|')}`] : []),
      ];
      lines.push(
        `- \`${f.name}\` (${facts.filter(Boolean).join(', ')})${f.description ? `: ${f.description}` : ''}`,
      );
    }
  }
  lines.push('Request:', '```bash', curlFor(op), '```');
  if (op.responses.length > 0) {
    lines.push(
      `Returns: ${op.responses.map((r) => `${r.status}${r.description ? ` ${r.description}` : ''}`).join('; ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
