import type { ApiBodyField, ApiOperation, ApiParameter } from './openapi-catalog.js';

/**
 * A ready request for an operation: a curl line against `$HF_ENDPOINT` (the public Hub when unset)
 * with `$HF_TOKEN` left for the shell to expand, so the token itself never appears. Path and
 * required query parameters are filled with their example, default or `<name>` for the model to fill in; a
 * JSON body gets the schema's example, else its required fields (or its first few).
 */
export function curlFor(op: ApiOperation): string {
  let path = op.path;
  for (const param of op.parameters.filter((p) => p.in === 'path')) {
    path = path.replace(`{${param.name}}`, urlValue(sampleOf(param), encodeURI));
  }
  path = path.replace(/\{([^}]+)\}/g, '<$1>');
  const query = op.parameters
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => `${encodeURIComponent(p.name)}=${urlValue(sampleOf(p), encodeURIComponent)}`);
  const url = `\${HF_ENDPOINT:-https://huggingface.co}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
  const lines = [
    `curl -s${op.method === 'GET' ? '' : ` -X ${op.method}`} "${url}"`,
    `-H "Authorization: Bearer $HF_TOKEN"`,
  ];
  if (op.body && op.method !== 'GET' && op.method !== 'HEAD') {
    lines.push(`-H "Content-Type: ${op.body.contentType}"`);
    if (op.body.contentType.includes('json')) {
      const json = JSON.stringify(op.body.example ?? bodySample(op.body.fields));
      lines.push(`-d '${json.replace(/'/g, `'\\''`)}'`);
    }
  }
  return lines.join(' \\\n  ');
}

/** A value for the URL, encoded unless it is a `<name>` the caller fills in. */
function urlValue(value: unknown, encode: (text: string) => string): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^<[^>]+>$/.test(text) ? text : encode(text);
}

function bodySample(fields: readonly ApiBodyField[]): Record<string, unknown> {
  const required = fields.filter((field) => field.required);
  const chosen = required.length > 0 ? required : fields.slice(0, 3);
  return Object.fromEntries(chosen.map((field) => [field.name, sampleOf(field)]));
}

function sampleOf(facts: ApiParameter | ApiBodyField): unknown {
  if (facts.example !== undefined) return facts.example;
  if (facts.default !== undefined) return facts.default;
  if (facts.enum && facts.enum.length > 0) return facts.enum[0];
  switch (facts.type) {
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'object':
      return {};
    default:
      return facts.type?.startsWith('array') ? [] : `<${facts.name}>`;
  }
}
