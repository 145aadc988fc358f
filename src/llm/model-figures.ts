import type { Usage } from '../core/events.js';
import type { TokenPrice } from './model-catalog.js';
import type { RouterModel } from './router-catalog.js';

/**
 * A resolved model's context window and price, wherever they came from. An unknown price stays
 * unknown: the cost shown is then "unknown", never a made-up $0.
 */
export interface ModelFigures {
  contextWindow: number;
  price: TokenPrice | undefined;
  /** Anthropic bills prompts above a size at a second rate. */
  largePrompt?: { aboveTokens: number; price: TokenPrice };
}

/** Cache writes (5-minute TTL) cost 1.25 × the input price, cache reads 0.1 × (Anthropic's). */
export const CACHE_WRITE_MULTIPLIER = 1.25;
export const CACHE_READ_MULTIPLIER = 0.1;

/** The window assumed for an open or local model nobody describes: small, so compaction starts early. */
export const UNKNOWN_OPEN_MODEL_WINDOW = 32_768;

/** The router's routing policies (`model:fastest`), which name no provider. */
const ROUTER_POLICIES = new Set(['fastest', 'cheapest', 'preferred']);

/**
 * Window and price of a routed model. A named provider gives its own figures. Otherwise the
 * router picks, so the window is the smallest any live provider offers, and the price is known
 * only when the choice cannot change it (one price for all, or `:cheapest`).
 */
export function routerFigures(
  model: RouterModel,
  suffix: string | undefined,
): { contextWindow?: number; price?: TokenPrice } {
  const named = suffix !== undefined && !ROUTER_POLICIES.has(suffix);
  const providers = named ? model.providers.filter((p) => p.provider === suffix) : model.providers;
  const windows = providers.flatMap((p) => (p.context_length ? [p.context_length] : []));
  const prices = providers.flatMap((p) =>
    typeof p.pricing?.input === 'number' && typeof p.pricing.output === 'number'
      ? [{ input: p.pricing.input, output: p.pricing.output }]
      : [],
  );
  const out: { contextWindow?: number; price?: TokenPrice } = {};
  if (windows.length > 0) out.contextWindow = Math.min(...windows);
  const allPriced = prices.length > 0 && prices.length === providers.length;
  if (allPriced) {
    const first = prices[0]!;
    const same = prices.every((p) => p.input === first.input && p.output === first.output);
    if (same) out.price = first;
    else if (suffix === 'cheapest') {
      out.price = prices.reduce((a, b) => (b.input + b.output < a.input + a.output ? b : a));
    }
  }
  return out;
}

/**
 * The cost of some usage in USD, undefined when the price is unknown. Cache tokens only exist
 * for Anthropic, whose `inputTokens` leave them out, so the four counts are priced apart.
 */
export function costWith(figures: ModelFigures, usage: Usage): number | undefined {
  if (figures.price === undefined) return undefined;
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  const price =
    figures.largePrompt !== undefined && promptTokens > figures.largePrompt.aboveTokens
      ? figures.largePrompt.price
      : figures.price;
  const dollars =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    usage.cacheWriteTokens * price.input * CACHE_WRITE_MULTIPLIER +
    usage.cacheReadTokens * price.input * CACHE_READ_MULTIPLIER;
  return dollars / 1_000_000;
}
