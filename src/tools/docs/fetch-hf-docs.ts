import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import type { ToolServices } from '../tool-services.js';
import type { DocsCallOptions } from './docs-client.js';
import { loadDocsPage } from './docs-pages.js';
import { docsLocation, publicUrl } from './docs-urls.js';
import { sectionOf } from './markdown-sections.js';

const parameters = z.object({
  url: z
    .string()
    .min(1)
    .describe(
      "The page's URL, as explore_hf_docs gives it (https://huggingface.co/docs/trl/sft_trainer). Add #<anchor> " +
        '(as in explore_hf_docs results) to get only that section. Only Hugging Face docs pages (/docs/…, /learn/…).',
    ),
});

/** `fetch_hf_docs`: one documentation page (or one section of it) as Markdown. */
export function fetchHfDocsTool(services: ToolServices, options: DocsCallOptions): AnyToolSpec {
  return defineTool({
    name: 'fetch_hf_docs',
    description:
      'Read a Hugging Face documentation page as Markdown (use the URLs explore_hf_docs returns; a #anchor ' +
      'gives just that section). Use it to check current parameter names and examples (SFTConfig, DPOConfig, ' +
      'GRPOConfig, Hub APIs) before writing a script. Only huggingface.co documentation is read.',
    parameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      // The host is checked before any request: HF_TOKEN only ever goes to HF_ENDPOINT.
      const location = docsLocation(args.url, services.hub.url);
      if ('refused' in location) throw new ToolInputError(location.refused);
      const page = await loadDocsPage(location.path, location.path, {
        services,
        options,
        signal: ctx.signal,
      });
      const link = publicUrl(location.path);
      const html = page.fromHtml ? ' (extracted from the HTML page: it has no Markdown form)' : '';
      let body = page.markdown;
      let header = `Documentation from ${link}${html}:`;
      if (location.fragment) {
        const section = sectionOf(page.markdown, location.fragment);
        if (section) {
          body = section.text;
          header = `Section "${section.heading}" of ${link} (lines ${section.lineStart}–${section.lineEnd})${html}; fetch the URL without #${location.fragment} for the whole page:`;
        } else {
          header = `${header} (no heading matches #${location.fragment}; here is the whole page)`;
        }
      }
      return {
        output: trimOutput(
          `${header}\n\n${body}`,
          undefined,
          'fetch one section instead: add #<anchor> of a heading to the URL (explore_hf_docs results link the sections)',
        ),
      };
    },
  });
}
