import { callServiceJson, type ServiceInfo } from '../shared/service-client.js';
import { HUB_SERVICE } from '../shared/hub-errors.js';
import { ServiceError } from '../shared/service-error.js';
import type { ToolServices } from '../tool-services.js';
import type { DocsCallOptions } from './docs-client.js';

/**
 * The Hub's OpenAPI 3 description (`GET {HF_ENDPOINT}/.well-known/openapi.json`, ~1 MB, ~250
 * paths), reduced to what `find_hf_api` shows: per operation its method, path, summary, tags,
 * parameters (`in` path/query/header, `required`, `schema`), JSON body fields and responses.
 * Local `$ref`s (`#/components/...`) are followed. The reduced catalog is cached in Redis.
 */
export interface ApiParameter {
  name: string;
  in: string;
  required: boolean;
  type?: string;
  description?: string;
  example?: unknown;
  default?: unknown;
  enum?: unknown[];
}

export interface ApiBodyField {
  name: string;
  type?: string;
  required: boolean;
  description?: string;
  example?: unknown;
  default?: unknown;
  enum?: unknown[];
}

export interface ApiOperation {
  method: string;
  path: string;
  summary: string;
  description: string;
  tags: string[];
  operationId?: string;
  parameters: ApiParameter[];
  body?: { contentType: string; required: boolean; fields: ApiBodyField[]; example?: unknown };
  responses: { status: string; description: string }[];
}

export interface ApiCatalog {
  title: string;
  tags: { name: string; description?: string }[];
  operations: ApiOperation[];
}

const OPENAPI_TTL_SECONDS = 12 * 60 * 60;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
const MAX_BODY_FIELDS = 15;

const OPENAPI_SERVICE: ServiceInfo = {
  ...HUB_SERVICE,
  notFoundHint:
    'HF_ENDPOINT serves no OpenAPI description at /.well-known/openapi.json (a mirror may not); use explore_hf_docs with endpoint "hub" instead.',
};

export async function loadApiCatalog(
  services: ToolServices,
  signal: AbortSignal,
  options: DocsCallOptions,
): Promise<ApiCatalog> {
  return services.cache.getOrLoad(`docs:v1:${services.hub.url}:openapi`, OPENAPI_TTL_SECONDS, async () => {
    const url = `${services.hub.url.replace(/\/+$/, '')}/.well-known/openapi.json`;
    const document = await callServiceJson(OPENAPI_SERVICE, url, {
      token: services.hub.token,
      signal,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    return reduceOpenApi(document);
  });
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const cut = (value: string, max: number): string =>
  value.length > max ? `${value.slice(0, max).trimEnd()}…` : value;

export function reduceOpenApi(document: unknown): ApiCatalog {
  if (!isObject(document) || !isObject(document.paths) || Object.keys(document.paths).length === 0) {
    throw new ServiceError(
      `${HUB_SERVICE.label} sent an OpenAPI description without any paths; try again later, or use explore_hf_docs with endpoint "hub".`,
    );
  }
  const resolve = refResolver(document);
  const operations: ApiOperation[] = [];
  for (const [path, rawItem] of Object.entries(document.paths)) {
    const item = resolve(rawItem);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = resolve(item[method]);
      if (!isObject(op)) continue;
      operations.push(reduceOperation(method, path, op, shared, resolve));
    }
  }
  const declared = Array.isArray(document.tags) ? document.tags.filter(isObject) : [];
  const tags = new Map<string, string | undefined>();
  for (const tag of declared)
    if (text(tag.name)) tags.set(text(tag.name), text(tag.description) || undefined);
  for (const op of operations) for (const tag of op.tags) if (!tags.has(tag)) tags.set(tag, undefined);
  const info = isObject(document.info) ? document.info : {};
  return {
    title: text(info.title) || 'Hub API',
    tags: [...tags].map(([name, description]) =>
      description ? { name, description: cut(description, 200) } : { name },
    ),
    operations,
  };
}

function reduceOperation(
  method: string,
  path: string,
  op: Json,
  shared: unknown[],
  resolve: (node: unknown) => unknown,
): ApiOperation {
  const byKey = new Map<string, ApiParameter>();
  const own: unknown[] = Array.isArray(op.parameters) ? op.parameters : [];
  for (const raw of [...shared, ...own]) {
    const param = resolve(raw);
    if (!isObject(param) || !text(param.name)) continue;
    const schema = resolve(param.schema);
    byKey.set(`${text(param.in)}:${text(param.name)}`, {
      name: text(param.name),
      in: text(param.in) || 'query',
      required: param.required === true || param.in === 'path',
      ...schemaFacts(isObject(schema) ? schema : {}, resolve),
      ...(text(param.description) ? { description: cut(text(param.description), 160) } : {}),
      ...(param.example !== undefined ? { example: param.example } : {}),
    });
  }
  const reduced: ApiOperation = {
    method: method.toUpperCase(),
    path,
    summary: text(op.summary),
    description: cut(text(op.description), 400),
    tags: Array.isArray(op.tags) ? op.tags.filter((tag): tag is string => typeof tag === 'string') : [],
    parameters: [...byKey.values()],
    responses: responsesOf(op.responses, resolve),
  };
  if (text(op.operationId)) reduced.operationId = text(op.operationId);
  const body = bodyOf(op.requestBody, resolve);
  if (body) reduced.body = body;
  return reduced;
}

function bodyOf(raw: unknown, resolve: (node: unknown) => unknown): ApiOperation['body'] {
  const body = resolve(raw);
  if (!isObject(body) || !isObject(body.content)) return undefined;
  const [contentType, media] =
    Object.entries(body.content).find(([type]) => type.includes('json')) ??
    Object.entries(body.content)[0] ??
    [];
  if (!contentType || !isObject(media)) return undefined;
  const schema = objectSchema(resolve(media.schema), resolve);
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === 'string') : [],
  );
  const properties = isObject(schema.properties) ? Object.entries(schema.properties) : [];
  const fields = properties.slice(0, MAX_BODY_FIELDS).map(([name, rawField]): ApiBodyField => {
    const field = resolve(rawField);
    const facts = isObject(field) ? field : {};
    return {
      name,
      required: required.has(name),
      ...schemaFacts(facts, resolve),
      ...(text(facts.description) ? { description: cut(text(facts.description), 160) } : {}),
    };
  });
  const example = media.example ?? schema.example;
  return {
    contentType,
    required: body.required === true,
    fields,
    ...(example !== undefined ? { example } : {}),
  };
}

/** An object schema, `allOf` parts merged and the first object of an `anyOf`/`oneOf` taken. */
function objectSchema(raw: unknown, resolve: (node: unknown) => unknown): Json {
  const schema = resolve(raw);
  if (!isObject(schema)) return {};
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part) => objectSchema(part, resolve));
    return {
      ...schema,
      properties: Object.assign(
        {},
        ...parts.map((part) => (isObject(part.properties) ? part.properties : {})),
      ),
      required: parts.flatMap((part): unknown[] => (Array.isArray(part.required) ? part.required : [])),
    };
  }
  const choice = Array.isArray(schema.anyOf)
    ? schema.anyOf
    : Array.isArray(schema.oneOf)
      ? schema.oneOf
      : undefined;
  if (choice && !schema.properties) {
    const first = choice.map((part) => objectSchema(part, resolve)).find((part) => isObject(part.properties));
    if (first) return first;
  }
  return schema;
}

function schemaFacts(
  schema: Json,
  resolve: (node: unknown) => unknown,
): Pick<ApiParameter, 'type' | 'default' | 'enum' | 'example'> {
  const items = resolve(schema.items);
  const type = Array.isArray(schema.type)
    ? schema.type.filter((t) => t !== 'null').join('|')
    : text(schema.type) === 'array' && isObject(items) && text(items.type)
      ? `array<${text(items.type)}>`
      : text(schema.type) || (Array.isArray(schema.enum) ? 'string' : '');
  return {
    ...(type ? { type } : {}),
    ...(schema.default !== undefined ? { default: schema.default } : {}),
    ...(Array.isArray(schema.enum) ? { enum: schema.enum.slice(0, 12) } : {}),
    ...(schema.example !== undefined ? { example: schema.example } : {}),
  };
}

function responsesOf(raw: unknown, resolve: (node: unknown) => unknown): ApiOperation['responses'] {
  const responses = resolve(raw);
  if (!isObject(responses)) return [];
  return Object.entries(responses)
    .slice(0, 3)
    .map(([status, response]) => {
      const resolved = resolve(response);
      return { status, description: cut(isObject(resolved) ? text(resolved.description) : '', 120) };
    });
}

/** Follows `{"$ref": "#/components/..."}` within the document (a few levels, so a cycle ends). */
function refResolver(document: Json): (node: unknown) => unknown {
  return (node) => {
    let current = node;
    for (let depth = 0; depth < 8 && isObject(current) && typeof current.$ref === 'string'; depth++) {
      const ref: string = current.$ref;
      if (!ref.startsWith('#/')) return {};
      let target: unknown = document;
      for (const part of ref.slice(2).split('/')) {
        const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
        target = isObject(target) ? target[key] : undefined;
      }
      current = target;
    }
    return current;
  };
}
