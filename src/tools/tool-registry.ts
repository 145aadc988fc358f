import { z } from 'zod';
import type { ToolDefinition } from '../core/llm-provider.js';
import type { AnyToolSpec } from '../core/tool-spec.js';

/** The tools a session may call, by name, with their JSON Schemas computed once. */
export class ToolRegistry {
  private readonly specs = new Map<string, AnyToolSpec>();
  private definitionsCache: ToolDefinition[] | undefined;

  constructor(specs: readonly AnyToolSpec[] = []) {
    for (const spec of specs) this.register(spec);
  }

  register(spec: AnyToolSpec): void {
    if (this.specs.has(spec.name)) throw new Error(`tool ${spec.name} registered twice`);
    this.specs.set(spec.name, spec);
    this.definitionsCache = undefined;
  }

  get(name: string): AnyToolSpec | undefined {
    return this.specs.get(name);
  }

  /** Every registered spec, in registration order. */
  all(): AnyToolSpec[] {
    return [...this.specs.values()];
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  /** Definitions for the model, JSON Schema generated from each tool's zod parameters. */
  definitions(): ToolDefinition[] {
    this.definitionsCache ??= [...this.specs.values()].map((spec) => ({
      name: spec.name,
      description: spec.description,
      inputSchema: toInputSchema(spec.parameters),
    }));
    return this.definitionsCache;
  }
}

function toInputSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
