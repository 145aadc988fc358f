import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { runResearch, type ResearchLimits } from './research-agent.js';
import { researchTools } from './read-only-view.js';

/**
 * `research {task, context?}`: hands a research question to a sub-agent with its own context and the
 * read-only tools, and returns its concise report, so the main conversation keeps only the findings.
 * `tools()` is read when the call runs: the sub-agent sees every read-only tool the session has.
 */
export function researchTool(tools: () => readonly AnyToolSpec[], limits: ResearchLimits): AnyToolSpec {
  return defineTool({
    name: 'research',
    description:
      'Delegate a research question to a sub-agent with its own context and read-only tools (HF docs, papers, ' +
      'datasets, Hub repos, GitHub, web search, skills). Use it for questions that need several searches and ' +
      'readings (how to fine-tune X with TRL, which dataset fits, what a paper recommends); you get back a ' +
      'concise report with links, not the raw pages. It cannot change anything or run jobs.',
    parameters: z.object({
      task: z.string().min(1).describe('The question to research, specific and self-contained.'),
      context: z
        .string()
        .optional()
        .describe('What the sub-agent should know: the user goal, constraints, what was already tried.'),
    }),
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      await ctx.log(`research: ${args.task.slice(0, 120)}`);
      const outcome = await runResearch(args, researchTools(tools()), limits, ctx);
      await ctx.log(
        `research: done after ${outcome.iterations} model call(s), ${outcome.toolCalls} tool call(s), ${outcome.tokens.toLocaleString('en')} tokens`,
      );
      return { output: outcome.report };
    },
  });
}
