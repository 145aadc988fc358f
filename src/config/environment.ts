import { z } from 'zod';

import { ConfigError } from '../core/errors.js';
import type { EnvSource } from './substitute-env.js';

/** Where Redis is expected when `REDIS_URL` is unset (the CLI may start a private one instead). */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** The Hugging Face Hub. */
export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';
/** GitHub's REST API. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
/** Hugging Face Inference Providers, OpenAI-compatible, with its `/v1`. */
export const DEFAULT_HF_ROUTER_URL = 'https://router.huggingface.co/v1';
/** The dataset viewer API. */
export const DEFAULT_HF_DATASETS_SERVER_URL = 'https://datasets-server.huggingface.co';
/** Semantic Scholar's Graph and Recommendations APIs (the host; the tools add `/graph/v1`, `/recommendations/v1`). */
export const DEFAULT_SEMANTIC_SCHOLAR_API_URL = 'https://api.semanticscholar.org';
/** arXiv, whose `/html/<id>` pages are the papers' HTML renderings. */
export const DEFAULT_ARXIV_URL = 'https://arxiv.org';
/** A keyless HTML search results page (DuckDuckGo's HTML endpoint), for `web_search`. */
export const DEFAULT_WEB_SEARCH_URL = 'https://html.duckduckgo.com/html/';
/** Exa's search API, used by `web_search` instead when EXA_API_KEY is set. */
export const DEFAULT_EXA_API_URL = 'https://api.exa.ai';
/** Discord's REST base, without a version (the client adds `/v10`). */
export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api';

/** Log levels (pino's names). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');
const portMessage = 'must be a port number (0-65535)';

const environmentSchema = z.object({
  /** Unset means "the local default, or a private Redis the CLI starts"; see `ensureRedis`. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  /** As the SDK wants it: `http://host:port`, no `/v1`. */
  ANTHROPIC_BASE_URL: httpUrl
    .transform(withoutTrailingSlash)
    .refine((url) => !url.endsWith('/v1'), 'must not end with /v1 (the Anthropic SDK adds it)')
    .optional(),
  HF_TOKEN: z.string().optional(),
  HF_ENDPOINT: httpUrl.transform(withoutTrailingSlash).default(DEFAULT_HF_ENDPOINT),
  /** As the openai SDK wants it: with its `/v1`. */
  HF_ROUTER_URL: httpUrl.transform(withoutTrailingSlash).default(DEFAULT_HF_ROUTER_URL),
  /** Any OpenAI-compatible server for `openai/<model>`, with its `/v1` (`http://127.0.0.1:11434/v1`). */
  OPENAI_BASE_URL: httpUrl.transform(withoutTrailingSlash).optional(),
  /** Optional: local servers need none. */
  OPENAI_API_KEY: z.string().optional(),
  HF_DATASETS_SERVER_URL: httpUrl.transform(withoutTrailingSlash).default(DEFAULT_HF_DATASETS_SERVER_URL),
  SEMANTIC_SCHOLAR_API_URL: httpUrl.transform(withoutTrailingSlash).default(DEFAULT_SEMANTIC_SCHOLAR_API_URL),
  /** Optional: raises Semantic Scholar's rate limit. */
  SEMANTIC_SCHOLAR_API_KEY: z.string().optional(),
  ARXIV_URL: httpUrl.transform(withoutTrailingSlash).default(DEFAULT_ARXIV_URL),
  WEB_SEARCH_URL: httpUrl.default(DEFAULT_WEB_SEARCH_URL),
  /** Set → `web_search` uses Exa's API instead of the keyless page. */
  EXA_API_KEY: z.string().optional(),
  EXA_API_URL: httpUrl.transform(withoutTrailingSlash).default(DEFAULT_EXA_API_URL),
  GITHUB_TOKEN: z.string().optional(),
  GITHUB_API_URL: httpUrl.transform(withoutTrailingSlash).default(DEFAULT_GITHUB_API_URL),
  SLACK_BOT_TOKEN: z.string().optional(),
  /** Set → Socket Mode. */
  SLACK_APP_TOKEN: z.string().optional(),
  /** Set (without an app token) → HTTP mode on `PORT`. */
  SLACK_SIGNING_SECRET: z.string().optional(),
  /** As the Slack SDK wants it: with a trailing slash (added when missing). Unset → Slack's own. */
  SLACK_API_URL: httpUrl.transform((url) => `${withoutTrailingSlash(url)}/`).optional(),
  DISCORD_TOKEN: z.string().optional(),
  /** As discord.js wants it: no version and no trailing slash. */
  DISCORD_API_URL: httpUrl
    .transform(withoutTrailingSlash)
    .refine((url) => !/\/v\d+$/.test(url), 'must not end with a version such as /v10 (the client adds it)')
    .default(DEFAULT_DISCORD_API_URL),
  /** HTTP port for Slack HTTP mode, `/healthz`, `/metrics`; 0 asks the OS for a free one. */
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, portMessage)
    .transform(Number)
    .refine((port) => port <= 65_535, portMessage)
    .optional(),
  /** A JSON config merged over `configs/default.json`; read by `loadConfig`. */
  ML_INTERN_CONFIG: z.string().optional(),
  LOG_LEVEL: z
    .string()
    .transform((level) => level.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
});

/** The environment contract of DESIGN.md, validated and with its defaults applied. */
export type Environment = Readonly<z.output<typeof environmentSchema>>;

/** The variables holding credentials; their values are redacted everywhere. */
export const SECRET_VARIABLES = [
  'ANTHROPIC_API_KEY',
  'HF_TOKEN',
  'OPENAI_API_KEY',
  'SEMANTIC_SCHOLAR_API_KEY',
  'EXA_API_KEY',
  'GITHUB_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'DISCORD_TOKEN',
] as const satisfies readonly (keyof Environment)[];

/**
 * Reads the environment contract from `env` (`process.env` at the composition root, a record in tests).
 * Values are trimmed and an empty value counts as unset, as `.env` files and compose files often leave
 * `NAME=` behind.
 *
 * @returns a frozen object; unknown variables are ignored.
 * @throws ConfigError naming each bad variable (never echoing its value, which may hold a password).
 */
export function readEnvironment(env: EnvSource): Environment {
  const input: Record<string, string> = {};
  for (const name of Object.keys(environmentSchema.shape)) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') input[name] = value;
  }
  const parsed = environmentSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return Object.freeze(parsed.data);
}

/**
 * Every credential value that is set, for the redactor: the token variables plus the password of
 * `REDIS_URL` (a URL that gets logged).
 */
export function secretsOf(environment: Environment): string[] {
  const secrets: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const value = environment[name];
    if (value !== undefined && value !== '') secrets.push(value);
  }
  const redisPassword = environment.REDIS_URL ? new URL(environment.REDIS_URL).password : '';
  if (redisPassword !== '') secrets.push(decodeOrKeep(redisPassword));
  return secrets;
}

function decodeOrKeep(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    // A stray "%" that is no escape: the password is the text itself.
    return encoded;
  }
}
