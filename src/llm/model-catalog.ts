/**
 * What the project knows about each Claude model: its context window (for compaction) and its
 * price (for the cost shown at the end of a turn). The figures are those of Anthropic's model
 * pages; the SDK lists model ids but carries neither windows nor prices.
 */

/** USD per million tokens. */
export interface TokenPrice {
  input: number;
  output: number;
}

/** A model's context window and price list. */
export interface ModelInfo {
  /** Input tokens the model accepts (prompt + tools + history). */
  contextWindow: number;
  price: TokenPrice;
  /**
   * Some models bill prompts above a size at a second rate (all tokens of the request, not only
   * the part above the threshold).
   */
  largePrompt?: { aboveTokens: number; price: TokenPrice };
}

const K200 = 200_000;
const M1 = 1_000_000;

const SONNET_4: TokenPrice = { input: 3, output: 15 };
const SONNET_5: TokenPrice = { input: 2, output: 10 };
const OPUS_4: TokenPrice = { input: 5, output: 25 };
const OPUS_5_5: TokenPrice = { input: 4, output: 20 };
const HAIKU_4: TokenPrice = { input: 1, output: 5 };
const FABLE_5: TokenPrice = { input: 10, output: 50 };
const FABLE_5_2: TokenPrice = { input: 8, output: 40 };

const CATALOG: Readonly<Record<string, ModelInfo>> = {
  'claude-fable-5-2': { contextWindow: M1, price: FABLE_5_2 },
  'claude-fable-5-1': { contextWindow: M1, price: FABLE_5 },
  'claude-fable-5': { contextWindow: M1, price: FABLE_5 },
  // Mythos shares the specifications and prices of the Fable release of the same number.
  'claude-mythos-5-2': { contextWindow: M1, price: FABLE_5_2 },
  'claude-mythos-5-1': { contextWindow: M1, price: FABLE_5 },
  'claude-mythos-5': { contextWindow: M1, price: FABLE_5 },
  'claude-opus-5-5': { contextWindow: M1, price: OPUS_5_5 },
  'claude-sonnet-5-5': { contextWindow: M1, price: SONNET_5 },
  'claude-haiku-5-5': {
    contextWindow: M1,
    price: { input: 0.1, output: 0.5 },
    largePrompt: { aboveTokens: 100_000, price: { input: 0.5, output: 2.5 } },
  },
  'claude-opus-5': { contextWindow: M1, price: OPUS_4 },
  'claude-sonnet-5': { contextWindow: M1, price: SONNET_5 },
  'claude-opus-4-8': { contextWindow: M1, price: OPUS_4 },
  'claude-opus-4-7': { contextWindow: M1, price: OPUS_4 },
  'claude-opus-4-6': { contextWindow: M1, price: OPUS_4 },
  'claude-sonnet-4-6': { contextWindow: M1, price: SONNET_4 },
  'claude-haiku-4-5': { contextWindow: K200, price: HAIKU_4 },
  'claude-opus-4-5': { contextWindow: K200, price: OPUS_4 },
  'claude-sonnet-4-5': { contextWindow: K200, price: SONNET_4 },
};

/** Dated snapshots (`claude-haiku-4-5-20251001`) share the data of their alias. */
function aliasOf(modelId: string): string {
  return modelId.replace(/-\d{8}$/, '');
}

/** True when the catalog has data for `modelId` (or for its alias, for dated snapshot ids). */
export function isKnownModel(modelId: string): boolean {
  return Object.hasOwn(CATALOG, aliasOf(modelId));
}

/**
 * The catalog entry of `modelId` (or of its alias), undefined for a model the catalog does not know:
 * its price is then unknown (or from `models.<name>`), never guessed.
 */
export function catalogEntryOf(modelId: string): ModelInfo | undefined {
  const alias = aliasOf(modelId);
  return Object.hasOwn(CATALOG, alias) ? CATALOG[alias] : undefined;
}
