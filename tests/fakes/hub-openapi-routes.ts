import type { LoopbackAnswer, Route } from './loopback-http.js';

/**
 * `GET {HF_ENDPOINT}/.well-known/openapi.json`: the Hub's OpenAPI 3.1 description. The real one is
 * ~1 MB with ~250 paths; this is a small document of the same shape: `info`, `servers`, `tags`
 * (`{name, description}`), `paths` whose operations carry `summary`, `description`, `tags`,
 * `parameters` (`name`, `in`, `required`, `schema`, `description`) and a JSON `requestBody`, and
 * `components` for `$ref`s. Paths, lowercase tags and summaries are the Hub's own (as listed in
 * matrixhub-ai/hfd's `hf-api-status.md`, generated from the live description, and the
 * operations ml-intern's `find_hf_api` examples name: Space logs, org members, JWT, security scan).
 */
export interface OpenApiWorld {
  document: unknown;
  /** Answer instead of the document (a failure), `times` times (every time when unset). */
  fault?: { answer: LoopbackAnswer; times?: number };
}

export function hubOpenApiRoutes(world: OpenApiWorld): Route[] {
  return [
    {
      method: 'GET',
      path: '/.well-known/openapi.json',
      handle: () => {
        const fault = world.fault;
        if (fault && (fault.times === undefined || fault.times > 0)) {
          if (fault.times !== undefined) fault.times--;
          return fault.answer;
        }
        return { body: world.document };
      },
    },
  ];
}

const repoParams = [
  { name: 'namespace', in: 'path', required: true, schema: { type: 'string' }, example: 'openai-community' },
  { name: 'repo', in: 'path', required: true, schema: { type: 'string' }, example: 'gpt2' },
];
const spaceParams = [
  { name: 'namespace', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'repo', in: 'path', required: true, schema: { type: 'string' } },
];
const ok = (description: string) => ({
  '200': { description, content: { 'application/json': { schema: { type: 'object' } } } },
});

export function sampleOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Hub API Endpoints', version: '0.0.1' },
    servers: [{ url: 'https://huggingface.co', description: 'Hub' }],
    tags: [
      { name: 'models', description: 'Model repositories' },
      { name: 'datasets', description: 'Dataset repositories' },
      { name: 'spaces', description: 'Spaces: apps, their hardware, logs and metrics' },
      { name: 'repos', description: 'Operations common to every repo type' },
      { name: 'orgs', description: 'Organizations' },
      { name: 'auth', description: 'Who the token is' },
    ],
    paths: {
      '/api/models': {
        get: {
          summary: 'List models',
          description: 'Get information from all models in the Hub, filtered and sorted.',
          tags: ['models'],
          parameters: [
            {
              name: 'search',
              in: 'query',
              schema: { type: 'string' },
              description: 'Filter by a substring of the model id',
            },
            { name: 'author', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', default: 100 } },
            {
              name: 'sort',
              in: 'query',
              schema: { type: 'string', enum: ['downloads', 'likes', 'lastModified', 'trendingScore'] },
            },
          ],
          responses: ok('The models'),
        },
      },
      '/api/models/{namespace}/{repo}/tree/{rev}/{path}': {
        parameters: [
          ...repoParams,
          { name: 'rev', in: 'path', required: true, schema: { type: 'string' }, example: 'main' },
        ],
        get: {
          summary: 'List folder content',
          description: 'List the content of a folder at a revision; `recursive` lists sub-folders too.',
          tags: ['models'],
          parameters: [
            { name: 'path', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'recursive', in: 'query', schema: { type: 'boolean', default: false } },
            { name: 'expand', in: 'query', schema: { type: 'boolean', default: false } },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
          responses: ok('The entries of the folder'),
        },
      },
      '/api/models/{namespace}/{repo}/branch/{rev}': {
        post: {
          summary: 'Create branch',
          tags: ['models'],
          parameters: [
            ...repoParams,
            { name: 'rev', in: 'path', required: true, schema: { type: 'string' } },
          ],
          requestBody: {
            required: false,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateBranch' } } },
          },
          responses: ok('The branch was created'),
        },
        delete: {
          summary: 'Delete a branch',
          tags: ['models'],
          parameters: [
            ...repoParams,
            { name: 'rev', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: ok('The branch was deleted'),
        },
      },
      '/api/models/{namespace}/{repo}/scan': {
        get: {
          summary: 'Get security status',
          tags: ['models'],
          parameters: repoParams,
          responses: ok('The scan results'),
        },
      },
      '/api/models/{namespace}/{repo}/jwt': {
        get: {
          summary: 'Generate JWT',
          description:
            'Generate a short-lived JWT giving read access to the repo (for embedding a gated or private repo).',
          tags: ['models'],
          parameters: [
            ...repoParams,
            {
              name: 'expiration',
              in: 'query',
              required: true,
              schema: { type: 'string' },
              example: '2030-01-01T00:00:00Z',
            },
          ],
          responses: ok('The token'),
        },
      },
      '/api/datasets/{namespace}/{repo}/refs': {
        get: {
          summary: 'List references',
          tags: ['datasets'],
          parameters: repoParams,
          responses: ok('Branches, tags and PR refs'),
        },
      },
      '/api/spaces/{namespace}/{repo}/logs/{logType}': {
        get: {
          summary: 'Stream logs',
          description: 'Stream the build or run logs of a Space as server-sent events.',
          tags: ['spaces'],
          parameters: [
            ...spaceParams,
            {
              name: 'logType',
              in: 'path',
              required: true,
              schema: { type: 'string', enum: ['build', 'run'] },
            },
          ],
          responses: {
            '200': {
              description: 'An event stream',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/api/spaces/{namespace}/{repo}/metrics': {
        get: {
          summary: 'Stream metrics',
          tags: ['spaces'],
          parameters: spaceParams,
          responses: ok('An event stream of CPU, memory and GPU usage'),
        },
      },
      '/api/repos/create': {
        post: {
          summary: 'Create a new repository',
          tags: ['repos'],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['name'],
                  properties: {
                    name: { type: 'string', description: 'The repo name, without the namespace' },
                    organization: { type: 'string', description: 'The organization to create it in' },
                    type: { type: 'string', enum: ['model', 'dataset', 'space'], default: 'model' },
                    private: { type: 'boolean', default: false },
                  },
                },
              },
            },
          },
          responses: ok('The new repo URL'),
        },
      },
      '/api/organizations/{name}/members': {
        get: {
          summary: 'Get organization members',
          tags: ['orgs'],
          parameters: [
            { $ref: '#/components/parameters/OrgName' },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
          ],
          responses: ok('The members'),
        },
      },
      '/api/whoami-v2': {
        get: {
          summary: 'Get user info',
          description: 'The user or organization the token belongs to, with its scopes.',
          tags: ['auth'],
          responses: ok('Who you are'),
        },
      },
    },
    components: {
      parameters: {
        OrgName: {
          name: 'name',
          in: 'path',
          required: true,
          schema: { type: 'string' },
          description: 'The organization name',
        },
      },
      schemas: {
        CreateBranch: {
          type: 'object',
          properties: {
            startingPoint: {
              type: 'string',
              description: 'The revision to branch from (defaults to the main branch head)',
            },
            emptyBranch: { type: 'boolean', description: 'Create an empty branch' },
            overwrite: { type: 'boolean', default: false },
          },
        },
      },
    },
  };
}

/** A description with `count` endpoints under one tag, for the size cap. */
export function bigOpenApi(count: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    paths[`/api/things/{namespace}/{repo}/part-${i}`] = {
      get: {
        summary: `Get thing part ${i}`,
        description: `Reads part ${i} of a thing. `.repeat(20),
        tags: ['things'],
        parameters: [
          ...repoParams,
          {
            name: 'verbose',
            in: 'query',
            required: true,
            schema: { type: 'boolean' },
            description: 'Say more. '.repeat(10),
          },
        ],
        responses: ok('The part'),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hub API Endpoints', version: '0.0.1' },
    tags: [{ name: 'things' }],
    paths,
  };
}
