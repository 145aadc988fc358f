import type { UploadedPart } from './fake-slack-http.js';
import type { SlackIdentity } from './fake-slack-ids.js';
import type { FakeWorkspace } from './fake-slack-workspace.js';

/** A Web API answer: `{ ok: true, ... }` or `{ ok: false, error, ... }`, always HTTP 200. */
export type ApiResult = { ok: boolean } & Record<string, unknown>;

/** What a method handler gets: the parsed arguments and the workspace to read and change. */
export interface MethodContext {
  args: Record<string, unknown>;
  /** File parts of a multipart body. */
  parts: UploadedPart[];
  workspace: FakeWorkspace;
  identity: SlackIdentity;
  /** `http://127.0.0.1:PORT`, for URLs the fake hands out. */
  baseUrl: string;
  /** How long a stream stays open after `chat.startStream`. */
  streamTtlMs: number;
  /** A fresh single-use Socket Mode URL (`apps.connections.open`). */
  openSocketUrl: () => string;
}

/** Which token a method takes: Slack refuses the other kind with `not_allowed_token_type`. */
export type TokenKind = 'bot' | 'app';

export interface MethodSpec {
  token: TokenKind;
  handle: (ctx: MethodContext) => ApiResult;
}

export function ok(extra: Record<string, unknown> = {}): ApiResult {
  return { ok: true, ...extra };
}

export function fail(error: string, extra: Record<string, unknown> = {}): ApiResult {
  return { ok: false, error, ...extra };
}

/** A string argument; numbers are accepted as Slack coerces them (`ts` sent as a number). */
export function str(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** A boolean argument, given as a boolean or as the strings the form encoding makes of one. */
export function bool(args: Record<string, unknown>, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** An array argument (the form encoding has already been JSON-decoded). */
export function list(args: Record<string, unknown>, key: string): unknown[] | undefined {
  const value = args[key];
  return Array.isArray(value) ? value : undefined;
}
