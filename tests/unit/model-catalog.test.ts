import { describe, expect, it } from 'vitest';
import type { Usage } from '../../src/core/events.js';
import { MlInternError } from '../../src/core/errors.js';
import { catalogEntryOf, isKnownModel } from '../../src/llm/model-catalog.js';
import { costWith } from '../../src/llm/model-figures.js';
import { UnknownProviderError, parseModelName } from '../../src/llm/model-name.js';

/** The cost of `usage` on a catalog model (unknown models have no price: undefined). */
function costOf(modelId: string, u: Usage): number | undefined {
  const entry = catalogEntryOf(modelId);
  return entry ? costWith(entry, u) : undefined;
}

function usage(partial: Partial<Usage>): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, ...partial };
}

describe('model catalog', () => {
  it('knows the current models and the dated snapshots of older ones', () => {
    for (const id of ['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-haiku-5-5', 'claude-opus-4-7']) {
      expect(isKnownModel(id)).toBe(true);
    }
    expect(isKnownModel('claude-haiku-4-5-20251001')).toBe(true);
    expect(isKnownModel('claude-nonexistent-9')).toBe(false);
  });

  it('gives context windows, and nothing for unknown models', () => {
    expect(catalogEntryOf('claude-sonnet-5-5')?.contextWindow).toBe(1_000_000);
    expect(catalogEntryOf('claude-haiku-4-5')?.contextWindow).toBe(200_000);
    expect(catalogEntryOf('claude-haiku-4-5-20251001')?.contextWindow).toBe(200_000);
    expect(catalogEntryOf('claude-nonexistent-9')).toBeUndefined();
  });

  it('prices input, output, cache writes (1.25x) and cache reads (0.1x)', () => {
    // Opus 4.7: $5 in, $25 out per million.
    expect(costOf('claude-opus-4-7', usage({ inputTokens: 1_000_000 }))).toBeCloseTo(5);
    expect(costOf('claude-opus-4-7', usage({ outputTokens: 1_000_000 }))).toBeCloseTo(25);
    expect(costOf('claude-opus-4-7', usage({ cacheWriteTokens: 1_000_000 }))).toBeCloseTo(6.25);
    expect(costOf('claude-opus-4-7', usage({ cacheReadTokens: 1_000_000 }))).toBeCloseTo(0.5);
    expect(
      costOf(
        'claude-sonnet-4-6',
        usage({ inputTokens: 1000, outputTokens: 500, cacheReadTokens: 10_000, cacheWriteTokens: 2000 }),
      ),
    ).toBeCloseTo((1000 * 3 + 500 * 15 + 2000 * 3.75 + 10_000 * 0.3) / 1_000_000, 10);
    expect(costOf('claude-nonexistent-9', usage({ inputTokens: 1_000_000 }))).toBeUndefined();
    expect(costOf('claude-sonnet-5-5', usage({}))).toBe(0);
  });

  it('bills large Haiku 5.5 prompts at the higher rate', () => {
    expect(costOf('claude-haiku-5-5', usage({ inputTokens: 100_000, outputTokens: 1000 }))).toBeCloseTo(
      (100_000 * 0.1 + 1000 * 0.5) / 1_000_000,
      10,
    );
    expect(
      costOf('claude-haiku-5-5', usage({ inputTokens: 1000, cacheReadTokens: 150_000, outputTokens: 1000 })),
    ).toBeCloseTo((1000 * 0.5 + 150_000 * 0.05 + 1000 * 2.5) / 1_000_000, 10);
  });

  it('parses provider/model names', () => {
    expect(parseModelName('anthropic/claude-sonnet-5-5')).toEqual({
      provider: 'anthropic',
      modelId: 'claude-sonnet-5-5',
    });
    expect(parseModelName('claude-opus-5-5')).toEqual({ provider: 'anthropic', modelId: 'claude-opus-5-5' });
    expect(parseModelName('hf/moonshotai/Kimi-K2.6:groq')).toEqual({
      provider: 'hf',
      modelId: 'moonshotai/Kimi-K2.6:groq',
    });
    expect(parseModelName('openai/meta-llama/Llama-3.1-8B-Instruct')).toEqual({
      provider: 'openai',
      modelId: 'meta-llama/Llama-3.1-8B-Instruct',
    });
    expect(() => parseModelName('hf/just-a-name')).toThrow(
      expect.objectContaining({ code: 'invalid_model_name' }),
    );
  });

  it('rejects other providers with code unknown_provider', () => {
    const thrown = (() => {
      try {
        parseModelName('vertex/gemini-3');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(UnknownProviderError);
    expect(thrown).toBeInstanceOf(MlInternError);
    expect(thrown).toMatchObject({ code: 'unknown_provider', provider: 'vertex' });
    expect(() => parseModelName('gpt-5')).toThrow(expect.objectContaining({ code: 'unknown_provider' }));
    expect(() => parseModelName('anthropic/')).toThrow(MlInternError);
  });
});
