import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { loadConfig, type ConfigOverrides } from '../src/config/load-config.js';
import type { Config } from '../src/config/schema.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One id per bench run, so concurrent runs (and tests on the same Redis) never share keys. */
export const RUN_ID = randomUUID().slice(0, 8);

export const SYSTEM_PROMPT = 'You are a benchmark agent. Answer briefly.';

/** Key prefix of one section of this run; everything under it is deleted at the end. */
export function sectionPrefix(section: string): string {
  return `bench-${RUN_ID}-${section}`;
}

/**
 * The config operators get (configs/default.json, including worker lock and stall timings) with a
 * private key prefix. An empty env: a developer's ML_INTERN_CONFIG must not change what is measured.
 * No skill sources: the default one is on GitHub, which every worker child would call at start (a
 * DNS failure offline; online, a download and a longer system prompt), so the figures would differ
 * with the network.
 */
export function benchConfig(prefix: string, overrides: ConfigOverrides = {}): Config {
  return loadConfig({}, { overrides: { skills: [], ...overrides, redis: { prefix } } });
}

/** Errors only, on stderr: stdout belongs to the report. */
export function benchLogger(): Logger {
  return pino({ level: process.env.BENCH_LOG_LEVEL ?? 'error' }, pino.destination({ dest: 2, sync: true }));
}
