import { z } from 'zod';
import type { ToolDefinition } from '../core/llm-provider.js';
import type { AnyToolSpec } from '../core/tool-spec.js';

/**
 * The tools a session may call, by name, with their JSON Schemas computed once. Tools found after
 * startup (an MCP server's, when it connects) join as a named group that {@link replaceGroup} swaps
 * whole; the next LLM call sees them, since the turn loop asks for the definitions on each call.
 */
export class ToolRegistry {
  private readonly specs = new Map<string, AnyToolSpec>();
  private readonly groups = new Map<string, string[]>();
  private definitionsCache: ToolDefinition[] | undefined;

  constructor(specs: readonly AnyToolSpec[] = []) {
    for (const spec of specs) this.register(spec);
  }

  register(spec: AnyToolSpec): void {
    if (this.specs.has(spec.name)) throw new Error(`tool ${spec.name} registered twice`);
    this.specs.set(spec.name, spec);
    this.definitionsCache = undefined;
  }

  /**
   * Replaces the tools of `group` with `specs` (none removes them). A spec whose name another
   * group or a built-in tool already holds is left out and returned, so the caller can log it.
   */
  replaceGroup(group: string, specs: readonly AnyToolSpec[]): AnyToolSpec[] {
    for (const name of this.groups.get(group) ?? []) this.specs.delete(name);
    const names: string[] = [];
    const refused: AnyToolSpec[] = [];
    for (const spec of specs) {
      if (this.specs.has(spec.name)) refused.push(spec);
      else {
        this.specs.set(spec.name, spec);
        names.push(spec.name);
      }
    }
    this.groups.set(group, names);
    this.definitionsCache = undefined;
    return refused;
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

  /**
   * Definitions for the model, JSON Schema generated from each tool's zod parameters. The same array
   * while the registered tools stay the same: the model's request body reuses its JSON.
   */
  definitions(): readonly ToolDefinition[] {
    this.definitionsCache ??= [...this.specs.values()].map((spec) => ({
      name: spec.name,
      description: spec.description,
      inputSchema: spec.inputSchema ?? toInputSchema(spec.parameters),
    }));
    return this.definitionsCache;
  }
}

function toInputSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
