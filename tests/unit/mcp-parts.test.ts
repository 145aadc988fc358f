import { describe, expect, it } from 'vitest';
import { mcpServerSchema } from '../../src/config/mcp-schema.js';
import { configSchema } from '../../src/config/schema.js';
import { McpError } from '../../src/mcp/mcp-errors.js';
import {
  MAX_IMAGE_BYTES,
  MAX_IMAGES_PER_RESULT,
  MAX_IMAGE_BYTES_PER_RESULT,
  flattenResult,
} from '../../src/mcp/result-content.js';
import { resolveServer, skipReason } from '../../src/mcp/server-params.js';
import { exposedToolName, TOOL_NAME_RULE } from '../../src/mcp/tool-names.js';
import { ToolRegistry } from '../../src/tools/tool-registry.js';
import { z } from 'zod';

describe('MCP tool names', () => {
  it('keeps a plain name as <server>__<tool>', () => {
    expect(exposedToolName('hf', 'model_search')).toBe('hf__model_search');
  });

  it('makes odd and long names fit ^[a-zA-Z0-9_-]{1,64}$, distinct by a hash of the original', () => {
    const dotted = exposedToolName('srv', 'files.read');
    const underscored = exposedToolName('srv', 'files_read');
    expect(dotted).toMatch(/^srv__files_read_[0-9a-f]{6}$/);
    expect(underscored).toBe('srv__files_read');
    const long = exposedToolName('a-long-server-name-here', `${'x'.repeat(100)}`);
    const long2 = exposedToolName('a-long-server-name-here', `${'x'.repeat(99)}y`);
    for (const name of [dotted, long, long2]) expect(name).toMatch(TOOL_NAME_RULE);
    expect(long).not.toBe(long2);
  });
});

describe('mcpServers config', () => {
  const parse = (servers: unknown) =>
    configSchema.safeParse({ model: 'anthropic/claude-sonnet-5-5', mcpServers: servers });

  it('accepts the stdio and http shapes with their defaults', () => {
    const stdio = mcpServerSchema.parse({ transport: 'stdio', command: 'node' });
    expect(stdio).toMatchObject({
      args: [],
      env: {},
      needsApproval: false,
      timeoutMs: 120_000,
      enabled: true,
    });
    const http = mcpServerSchema.parse({ transport: 'http', url: 'https://x/mcp', needsApproval: ['a'] });
    expect(http).toMatchObject({ headers: {}, needsApproval: ['a'], hideTools: [] });
  });

  it('refuses server names that would break tool names, unknown transports and unknown keys', () => {
    const bad = parse({
      'a.b': { transport: 'stdio', command: 'x' },
      a__b: { transport: 'stdio', command: 'x' },
      ws: { transport: 'websocket', url: 'ws://x' },
      extra: { transport: 'http', url: 'http://x', token: 'y' },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(messages).toMatch(/mcpServers\.a\.b: must be 1-24 letters/);
    expect(messages).toMatch(/mcpServers\.a__b: must be 1-24 letters/);
    expect(messages).toMatch(/mcpServers\.ws\.transport: transport must be "stdio", "http" or "sse"/);
    expect(bad.error!.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });
});

describe('MCP server params', () => {
  const http = mcpServerSchema.parse({
    transport: 'http',
    url: '${BASE:-http://127.0.0.1:1}/mcp',
    headers: { Authorization: 'Bearer ${TOKEN}', 'X-Other': '${OTHER}' },
    requiresEnv: ['TOKEN'],
  });

  it('substitutes at connect time and knows the values to redact', () => {
    const resolved = resolveServer('hf', http, { TOKEN: 'tok-123456789', OTHER: 'other-value-1' });
    expect(resolved.params).toMatchObject({
      transport: 'http',
      headers: { Authorization: 'Bearer tok-123456789' },
    });
    expect(String((resolved.params as { url: URL }).url)).toBe('http://127.0.0.1:1/mcp');
    expect(resolved.secrets).toEqual(
      expect.arrayContaining(['Bearer tok-123456789', 'tok-123456789', 'other-value-1']),
    );
  });

  it('names each unset variable and its field, never a value', () => {
    let error: unknown;
    try {
      resolveServer('hf', http, { TOKEN: 'tok-123456789' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe('mcp_config');
    expect((error as McpError).message).toBe(
      'mcpServers.hf.headers.X-Other: environment variable OTHER is not set',
    );
  });

  it('skips a server whose requiresEnv is unset, or that is disabled', () => {
    expect(skipReason(http, {})).toBe('TOKEN not set (requiresEnv)');
    expect(skipReason(http, { TOKEN: 'x' })).toBeUndefined();
    expect(skipReason({ ...http, enabled: false }, { TOKEN: 'x' })).toBe('enabled is false');
  });
});

describe('MCP results for the model', () => {
  it('flattens text, resources and links; structuredContent only when there is no text', () => {
    const flat = flattenResult(
      {
        content: [
          { type: 'text', text: 'first' },
          { type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'inside' } },
          { type: 'resource', resource: { uri: 'file:///b.bin', blob: 'AAAA' } },
          { type: 'resource_link', uri: 'https://x/y', name: 'y' },
        ],
        structuredContent: { ignored: true },
      },
      'srv__t',
    );
    expect(flat.text).toBe(
      'first\n[resource file:///a.txt (text/plain)]\ninside\n[binary resource file:///b.bin, 3 B: not shown]\n[resource link: y https://x/y]',
    );
    expect(flattenResult({ content: [], structuredContent: { a: 1 } }, 'x').text).toBe('{\n  "a": 1\n}');
    expect(flattenResult({ content: [], isError: true }, 'x')).toMatchObject({
      text: '(the tool returned no content)',
      isError: true,
    });
  });

  it('sets images aside for the thread and describes bad ones', () => {
    const flat = flattenResult(
      {
        content: [
          { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/jpeg' },
          { type: 'image', data: 'not base64!', mimeType: 'image/png' },
        ],
      },
      'srv__draw',
    );
    expect(flat.images).toEqual([
      { name: 'srv__draw-1.jpg', mimeType: 'image/jpeg', dataBase64: 'iVBORw0KGgo=', bytes: 8 },
    ]);
    expect(flat.text).toBe(
      '[image srv__draw-1.jpg attached to the thread]\n[image image/png: its data is not valid base64]',
    );
  });
});

describe('MCP images: the budget of one result', () => {
  /** Base64 of a payload of `bytes` decoded bytes. */
  const imageOfBytes = (bytes: number) => ({
    type: 'image',
    data: Buffer.alloc(bytes, 1).toString('base64'),
    mimeType: 'image/png',
  });

  it(`attaches at most ${MAX_IMAGES_PER_RESULT} images and describes the rest`, () => {
    const content = Array.from({ length: MAX_IMAGES_PER_RESULT + 3 }, () => imageOfBytes(10));
    const flat = flattenResult({ content }, 'srv__many');
    expect(flat.images.map((i) => i.name)).toEqual(
      Array.from({ length: MAX_IMAGES_PER_RESULT }, (_, i) => `srv__many-${i + 1}.png`),
    );
    const notes = flat.text.split('\n').filter((line) => line.includes('not attached'));
    expect(notes).toHaveLength(3);
    expect(notes[0]).toBe(
      `[image image/png, 10 B: over this result's budget of ${MAX_IMAGES_PER_RESULT} images and 8,192 KB, not attached]`,
    );
  });

  it('stops attaching once the bytes of the result would pass its budget, and still takes a small one after', () => {
    const big = MAX_IMAGE_BYTES - 1000;
    const flat = flattenResult(
      { content: [imageOfBytes(big), imageOfBytes(big), imageOfBytes(big), imageOfBytes(100)] },
      'srv__big',
    );
    expect(flat.images.map((i) => i.bytes)).toEqual([big, big, 100]);
    expect(flat.images.reduce((sum, i) => sum + i.bytes, 0)).toBeLessThanOrEqual(MAX_IMAGE_BYTES_PER_RESULT);
    expect(flat.text.split('\n')).toEqual([
      '[image srv__big-1.png attached to the thread]',
      '[image srv__big-2.png attached to the thread]',
      "[image image/png, 4,095 KB: over this result's budget of 8 images and 8,192 KB, not attached]",
      '[image srv__big-3.png attached to the thread]',
    ]);
  });
});

describe('ToolRegistry groups', () => {
  const spec = (name: string) => ({
    name,
    description: name,
    parameters: z.record(z.string(), z.unknown()),
    inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
    sideEffects: true,
    needsApproval: () => undefined,
    execute: () => Promise.resolve({ output: '' }),
  });

  it('swaps a group whole, keeps built-ins, and shows a raw inputSchema as it is', () => {
    const registry = new ToolRegistry([spec('plan')]);
    expect(registry.replaceGroup('mcp:a', [spec('a__x'), spec('plan')]).map((s) => s.name)).toEqual(['plan']);
    expect(registry.definitions().map((d) => d.name)).toEqual(['plan', 'a__x']);
    expect(registry.definitions()[1]?.inputSchema).toEqual({
      type: 'object',
      properties: { q: { type: 'string' } },
    });
    registry.replaceGroup('mcp:a', [spec('a__y')]);
    expect(registry.names()).toEqual(['plan', 'a__y']);
  });
});
