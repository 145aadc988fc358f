import { describe, expect, it } from 'vitest';
import { costText } from '../../adapters/shared/cost-text.js';
import { chooseModel } from '../../src/config/model-choice.js';
import { configSchema } from '../../src/config/schema.js';
import { costWith, routerFigures } from '../../src/llm/model-figures.js';
import type { RouterModel } from '../../src/llm/router-catalog.js';

const usage = { inputTokens: 2_000_000, outputTokens: 1_000_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
const model: RouterModel = {
  id: 'org/m',
  providers: [
    { provider: 'groq', context_length: 131_072, pricing: { input: 1, output: 3 } },
    { provider: 'novita', context_length: 65_536, pricing: { input: 0.5, output: 2 } },
    { provider: 'bare' },
  ],
};

describe('window and price of a routed model', () => {
  it('a named provider gives its own', () => {
    expect(routerFigures(model, 'groq')).toEqual({ contextWindow: 131_072, price: { input: 1, output: 3 } });
    expect(routerFigures(model, 'bare')).toEqual({});
  });

  it('when the router picks: the smallest window, and no price unless the choice cannot change it', () => {
    expect(routerFigures(model, undefined)).toEqual({ contextWindow: 65_536 });
    expect(routerFigures(model, 'fastest')).toEqual({ contextWindow: 65_536 });
    const priced: RouterModel = { id: 'org/m', providers: model.providers.slice(0, 2) };
    expect(routerFigures(priced, 'cheapest').price).toEqual({ input: 0.5, output: 2 });
    const same: RouterModel = {
      id: 'org/m',
      providers: [
        { provider: 'a', pricing: { input: 1, output: 1 } },
        { provider: 'b', pricing: { input: 1, output: 1 } },
      ],
    };
    expect(routerFigures(same, undefined).price).toEqual({ input: 1, output: 1 });
  });

  it('an unknown price costs undefined, shown as unknown, never $0', () => {
    expect(costWith({ contextWindow: 1000, price: undefined }, usage)).toBeUndefined();
    expect(costWith({ contextWindow: 1000, price: { input: 1, output: 3 } }, usage)).toBeCloseTo(5);
    expect(costText(0, true)).toBe('cost unknown');
    expect(costText(0.5, true)).toBe('$0.5000 + unknown');
    expect(costText(0.5, false)).toBe('$0.5000');
  });
});

describe('the default model', () => {
  const config = configSchema.parse({ model: 'anthropic/claude-sonnet-5-5' });

  it('is the open model when only HF_TOKEN is set', () => {
    expect(chooseModel(config, { HF_TOKEN: 'hf_x' }, false)).toEqual({
      model: 'hf/moonshotai/Kimi-K2.6',
      replaced: { from: 'anthropic/claude-sonnet-5-5', reason: expect.any(String) as unknown },
    });
  });

  it('stays as configured with an Anthropic key, with neither key, for a non-Anthropic model, or from --model', () => {
    expect(chooseModel(config, { ANTHROPIC_API_KEY: 'k', HF_TOKEN: 'hf_x' }, false).model).toBe(config.model);
    expect(chooseModel(config, {}, false).model).toBe(config.model);
    expect(chooseModel({ ...config, model: 'openai/llama3.1' }, { HF_TOKEN: 'hf_x' }, false).model).toBe(
      'openai/llama3.1',
    );
    expect(chooseModel(config, { HF_TOKEN: 'hf_x' }, true).model).toBe(config.model);
  });
});
