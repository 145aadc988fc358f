import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { LlmProvider } from '../core/llm-provider.js';
import type { Metrics } from '../core/metrics.js';
import type { AnyToolSpec } from '../core/tool-spec.js';
import type { ServiceEndpoints } from '../tools/tool-services.js';
import type { ModelEndpoints } from './model-resolver.js';

/** What the composition root is built from (the CLI's settings, or a test's). */
export interface AppOptions {
  config: Config;
  redisUrl: string;
  logger: Logger;
  systemPrompt: string;
  /** Anthropic credentials; unused when `llm` is given. */
  anthropic?: ModelEndpoints['anthropic'];
  /** HF Inference Providers: `HF_TOKEN` and `HF_ROUTER_URL`. */
  hfRouter?: ModelEndpoints['hfRouter'];
  /** An OpenAI-compatible server: `OPENAI_BASE_URL` and `OPENAI_API_KEY`. */
  openai?: ModelEndpoints['openai'];
  /** Replaces the model provider for every model (the scripted LLM of tests and the benchmark). */
  llm?: LlmProvider;
  /** The job watcher's timing (tests make it fast). */
  jobWatch?: { pollMs?: number; cardEveryMs?: number };
  /** Where relative skill folders are found (the project root). */
  projectRoot?: string;
  /** Where the tools' services are (HF_ENDPOINT, GITHUB_API_URL, …); the public ones without tokens when absent. */
  services?: ServiceEndpoints;
  /** Tools on top of the built-in ones. */
  extraTools?: readonly AnyToolSpec[];
  redact?: (text: string) => string;
  /** What `${VAR}` in `mcpServers` is substituted from when a server connects; `process.env` when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** What the runtime counts (Prometheus on `/metrics`); nothing is counted when absent. */
  metrics?: Metrics;
}
