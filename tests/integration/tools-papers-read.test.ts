import { describe, expect, it } from 'vitest';
import { DPO } from '../helpers/papers-worlds.js';
import {
  arxiv,
  arxivFake,
  failure,
  hubFake,
  lastRequest,
  makeTool,
  run,
  tool,
  usePapersTool,
} from '../helpers/papers-tool.js';
import { arxivHtmlPage } from '../fakes/arxiv-routes.js';

usePapersTool();

describe('hf_papers: read_paper', () => {
  it('gives the abstract and the sections of the HTML paper, without the page chrome', async () => {
    const output = await run({ operation: 'read_paper', arxiv_id: DPO });
    expect(lastRequest(arxivFake)?.path).toBe(`/html/${DPO}`);
    expect(output).toContain(
      '# Direct Preference Optimization: Your Language Model is Secretly a Reward Model',
    );
    expect(output).toContain('## Abstract\nWhile large-scale unsupervised language models');
    expect(output).toContain('- **1 Introduction**: Large unsupervised language models are hard to steer');
    expect(output).toContain('- **4 Direct Preference Optimization**');
    expect(output).toContain('  - **4.1 Deriving the DPO objective**');
    expect(output).toContain('- **5 Experiments**');
    expect(output).toContain('- **Acknowledgements**');
    expect(output).toContain('- **A Mathematical Derivations**');
    expect(output).toContain('- **References**');
    expect(output).toContain('section="4"');
    for (const chrome of [
      'Back to arXiv',
      'HTML conversions sometimes',
      'LaTeXML',
      'example.org',
      'Dismiss',
    ]) {
      expect(output).not.toContain(chrome);
    }
  });

  it('reads a section by number with its subsections, math as TeX', async () => {
    const output = await run({ operation: 'read_paper', arxiv_id: `${DPO}v3`, section: '4' });
    expect(lastRequest(arxivFake)?.path).toBe(`/html/${DPO}v3`);
    expect(output).toContain('# 4 Direct Preference Optimization');
    expect(output).toContain(`https://arxiv.org/abs/${DPO}v3`);
    expect(output).toContain('We derive a simple approach');
    expect(output).toContain('## 4.1 Deriving the DPO objective');
    expect(output).toContain(String.raw`The policy $\pi_{\theta}$ is trained`);
    expect(output).toContain('## 4.2 Theoretical analysis of DPO');
    expect(output).not.toContain('x = y');
    expect(output).not.toContain('5 Experiments');
  });

  it('reads a section by title, tables as rows and figures by their captions', async () => {
    const output = await run({ operation: 'read_paper', arxiv_id: DPO, section: 'experiments' });
    expect(output).toContain('# 5 Experiments');
    expect(output).toContain('Figure 1: Frontier of expected reward vs KL to the reference policy.');
    expect(output).toContain('Table 1: GPT-4 win rates on TL;DR summarization.');
    expect(output).toContain('Method | Win rate\nDPO | 61%\nPPO | 57%');

    const intro = await run({ operation: 'read_paper', arxiv_id: DPO, section: 'Section 1' });
    expect(intro).toContain('hard to steer (Ouyang et al., 2022).');
    expect(intro).toContain('(footnote: Code: https://github.com/eric-mitchell/dpo)');

    const math = await run({ operation: 'read_paper', arxiv_id: DPO, section: '3.' });
    expect(math).toContain(String.raw`$$\max_{\pi_{\theta}}\mathbb{E}[r_{\phi}(x,y)]$$ | (1)`);

    expect(await run({ operation: 'read_paper', arxiv_id: DPO, section: 'Appendix A' })).toContain(
      '# A Mathematical Derivations',
    );
    expect(await run({ operation: 'read_paper', arxiv_id: DPO, section: 'Related work' })).toContain(
      'e.g. on Anthropic HH (https://huggingface.co/datasets/Anthropic/hh-rlhf).',
    );
    expect(await run({ operation: 'read_paper', arxiv_id: DPO, section: 'references' })).toContain(
      '- [1] Long Ouyang et al. Training language models to follow instructions',
    );
    // The parsed paper is cached: one page fetch served every section.
    expect(arxivFake.requests).toHaveLength(1);
  });

  it('lists the sections when the one asked for is not there', async () => {
    const message = await failure({ operation: 'read_paper', arxiv_id: DPO, section: 'Limitations' });
    expect(message).toContain(`No section 'Limitations' in ${DPO}. Its sections are:`);
    expect(message).toContain('- 1 Introduction');
    expect(message).toContain('  - 4.1 Deriving the DPO objective');
    expect(message).toContain('- A Mathematical Derivations');
  });

  it("falls back to the Hub's abstract when arXiv has no HTML", async () => {
    const output = await run({ operation: 'read_paper', arxiv_id: '2401.12345', section: '2' });
    expect(arxivFake.requests.map((r) => r.path)).toEqual(['/html/2401.12345']);
    expect(lastRequest(hubFake)?.path).toBe('/api/papers/2401.12345');
    expect(output).toContain('# Sparse Mixture of Experts at Scale');
    expect(output).toContain('## Abstract\nAbstract of Sparse Mixture of Experts at Scale.');
    expect(output).toContain('arXiv has no HTML version');
    expect(output).toContain('PDF: https://arxiv.org/pdf/2401.12345');
  });

  it('says a paper neither arXiv nor the Hub has is to check', async () => {
    const message = await failure({ operation: 'read_paper', arxiv_id: '2412.99999' });
    expect(message).toContain(
      'arXiv has no HTML version of 2412.99999 and Hugging Face Papers does not know it',
    );
    expect(message).toContain('https://arxiv.org/pdf/2412.99999');
  });

  it('cuts a long section to the result cap, head and tail kept, and says how to read the rest', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1}: ${'results '.repeat(250)}`);
    arxiv.pages['2403.11111v1'] = arxivHtmlPage({
      id: '2403.11111v1',
      title: 'A long paper',
      abstract: 'Long.',
      sections: [{ title: 'Results', paragraphs: long }],
    });
    const output = await run({ operation: 'read_paper', arxiv_id: '2403.11111', section: '1' });
    expect(output).toContain('# 1 Results');
    expect(output).toContain('Paragraph 1:');
    expect(output).toContain('Paragraph 40:');
    expect(output).toMatch(/characters cut from the middle; read one of its subsections/);
  });

  it('keeps every section title of a paper with many sections in one result', async () => {
    const sections = Array.from({ length: 120 }, (_, i) => ({
      title: `Topic ${i + 1}`,
      paragraphs: ['text '.repeat(200)],
    }));
    arxiv.pages['2403.22222v1'] = arxivHtmlPage({
      id: '2403.22222v1',
      title: 'Many',
      abstract: 'Many.',
      sections,
    });
    const output = await run({ operation: 'read_paper', arxiv_id: '2403.22222' });
    expect(output).toContain('- **1 Topic 1**');
    expect(output).toContain('- **120 Topic 120**');
    expect(output).not.toContain('characters cut');
  });

  it('reports arXiv not answering in time, and an interrupted turn', async () => {
    arxiv.answer = () => ({ hang: true });
    const slow = makeTool({ timeoutMs: 1000 });
    const message = await failure({ operation: 'read_paper', arxiv_id: DPO }, slow);
    expect(message).toBe('arXiv did not answer within 1 s; try again, or ask for less.');

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await failure({ operation: 'read_paper', arxiv_id: DPO }, tool, controller.signal)).toBe(
      'Stopped: the turn was interrupted.',
    );
  });
});
