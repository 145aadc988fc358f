import { z } from 'zod';
import { todoSchema, type Todo } from '../core/events.js';
import { defineTool, type ToolStateStore } from '../core/tool-spec.js';

const PLAN_STATE_KEY = 'plan';
/** Built once: a zod schema costs far more to build than to check, and every turn reads the plan. */
const storedPlanSchema = z.array(todoSchema);

const parameters = z.object({
  todos: z
    .array(todoSchema)
    .max(50)
    .describe('The whole plan, every todo with its current status (this replaces the previous plan).'),
});

/** The plan tool of the reference agent: the model keeps a visible todo list for multi-step work. */
export const planTool = defineTool({
  name: 'plan_tool',
  description:
    'Create or update the plan for multi-step work: send the complete list of todos, each pending, ' +
    'in_progress or completed. Keep exactly one todo in_progress while working; mark todos completed ' +
    'as soon as they are done. The user sees the plan in the thread.',
  parameters,
  sideEffects: false,
  needsApproval: () => undefined,
  async execute(args, ctx) {
    await ctx.state.set(PLAN_STATE_KEY, args.todos);
    await ctx.emit({ type: 'plan_update', todos: args.todos });
    const open = args.todos.filter((t) => t.status !== 'completed').length;
    return { output: `Plan updated: ${args.todos.length} todos, ${open} open.` };
  },
});

/** The todos still pending or in progress, for the end-of-turn nudge. */
export async function openTodos(state: ToolStateStore): Promise<Todo[]> {
  const stored = await state.get(PLAN_STATE_KEY);
  if (stored === undefined || stored === null) return [];
  const parsed = storedPlanSchema.safeParse(stored);
  return parsed.success ? parsed.data.filter((t) => t.status !== 'completed') : [];
}
