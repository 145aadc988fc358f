import { z } from 'zod';
import type { ProviderLogger } from './sdk-logger.js';

/**
 * The HF router's model list, `GET {HF_ROUTER_URL}/models`: per Hub model, the providers serving it
 * with their status, context length, price (USD per million tokens) and tool support. The intern
 * reads windows and prices from it, and refuses a `model hf/…` switch to a model it does not list.
 * Cached in the process (a few minutes; a failed fetch is retried sooner and keeps stale data).
 */

const providerSchema = z.looseObject({
  provider: z.string(),
  status: z.string().optional(),
  context_length: z.number().int().positive().nullish(),
  pricing: z
    .looseObject({ input: z.number().nonnegative().nullish(), output: z.number().nonnegative().nullish() })
    .nullish(),
  supports_tools: z.boolean().nullish(),
});
const listSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), providers: z.array(providerSchema).nullish() })),
});

export type RouterProvider = z.infer<typeof providerSchema>;

/** One listed model: the live providers only (staging ones are not routed to). */
export interface RouterModel {
  id: string;
  providers: RouterProvider[];
}

/** What a lookup found: the model, its absence from a list that was read, or no list at all. */
export type RouterLookup =
  { found: true; model: RouterModel } | { found: false; listed: boolean; suggestions: string[] };

const TTL_MS = 5 * 60_000;
const FAILURE_TTL_MS = 15_000;
const FETCH_TIMEOUT_MS = 5_000;

export class RouterCatalog {
  private models: Map<string, RouterModel> | undefined;
  private fetchedAt = 0;
  private failedAt = 0;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly options: {
      baseURL: string;
      token?: string | undefined;
      logger?: ProviderLogger | undefined;
    },
  ) {}

  /** Looks up `hubId` (`moonshotai/Kimi-K2.6`, no provider suffix). */
  async lookup(hubId: string): Promise<RouterLookup> {
    await this.refresh();
    const models = this.models;
    if (models === undefined) return { found: false, listed: false, suggestions: [] };
    const model = models.get(hubId) ?? models.get(hubId.toLowerCase());
    if (model !== undefined) return { found: true, model };
    return {
      found: false,
      listed: true,
      suggestions: closest(
        hubId,
        [...models.values()].map((m) => m.id),
      ),
    };
  }

  private async refresh(): Promise<void> {
    const now = Date.now();
    if (this.models !== undefined && now - this.fetchedAt < TTL_MS) return;
    if (this.failedAt !== 0 && now - this.failedAt < FAILURE_TTL_MS) return;
    this.inflight ??= this.fetchList().finally(() => {
      this.inflight = undefined;
    });
    await this.inflight;
  }

  private async fetchList(): Promise<void> {
    const url = `${this.options.baseURL.replace(/\/+$/, '')}/models`;
    try {
      const response = await fetch(url, {
        headers: this.options.token ? { authorization: `Bearer ${this.options.token}` } : {},
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const parsed = listSchema.safeParse(await response.json());
      if (!parsed.success) throw new Error('the model list is not the router’s shape');
      const models = new Map<string, RouterModel>();
      for (const entry of parsed.data.data) {
        const providers = (entry.providers ?? []).filter(
          (p) => p.status === undefined || p.status === 'live',
        );
        const model = { id: entry.id, providers };
        models.set(entry.id, model);
        models.set(entry.id.toLowerCase(), model);
      }
      this.models = models;
      this.fetchedAt = Date.now();
      this.failedAt = 0;
    } catch (err) {
      this.failedAt = Date.now();
      this.options.logger?.warn(
        { url, reason: err instanceof Error ? err.message : String(err) },
        'could not read the HF router model list; windows and prices fall back to the config',
      );
    }
  }
}

/** Up to three listed ids that share the most of `wanted`'s name (a typo's likely targets). */
function closest(wanted: string, ids: string[]): string[] {
  const needle = wanted.toLowerCase();
  const name = needle.split('/').pop() ?? needle;
  const score = (id: string): number => {
    const candidate = id.toLowerCase();
    if (candidate.includes(name) || name.includes(candidate.split('/').pop() ?? '')) return 100;
    let common = 0;
    while (common < Math.min(candidate.length, needle.length) && candidate[common] === needle[common])
      common++;
    return common;
  };
  return [...new Set(ids)]
    .map((id) => ({ id, score: score(id) }))
    .filter((c) => c.score >= 4)
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map((c) => c.id);
}
