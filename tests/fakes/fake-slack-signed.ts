import { createHmac } from 'node:crypto';
import { stringify } from 'node:querystring';

/**
 * Slack's side of HTTP mode: requests signed with the app's signing secret, POSTed to the app's
 * request URL (a Bolt HTTPReceiver at `/slack/events`), exactly as Slack sends them.
 */

export interface SignedRequestOptions {
  signingSecret: string;
  /** Unix seconds for `X-Slack-Request-Timestamp` (default now; Bolt refuses over 5 minutes old). */
  timestamp?: number;
  /** Sign with the wrong secret, so the receiver must refuse it. */
  badSignature?: boolean;
  /** `X-Slack-Retry-Num` / `X-Slack-Retry-Reason`, as on Slack's redeliveries. */
  retryNum?: number;
  retryReason?: string;
  /**
   * `json` for Events API bodies; `form` for interactivity (`payload=<json>`) and slash commands
   * (one field each). Default: `form` for interactive payloads and slash commands, else `json`.
   */
  contentType?: 'json' | 'form';
  /** Give up on the answer after this long (the request then rejects); default: wait as long as it takes. */
  timeoutMs?: number;
}

export interface SignedResponse {
  status: number;
  /** The response text (Bolt answers an ack without a body with an empty 200). */
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  headers: Headers;
}

const INTERACTIVE_TYPES = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`: the `X-Slack-Signature` value. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** The raw body and content type Slack would send for this body. */
export function encodeSlackBody(
  body: unknown,
  contentType?: 'json' | 'form',
): { raw: string | Buffer; contentType: string } {
  // A string or Buffer is the raw body itself (bad JSON, invalid UTF-8, hand-made forms).
  if (typeof body === 'string' || Buffer.isBuffer(body))
    return {
      raw: body,
      contentType: contentType === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    };
  const isCommand = isRecord(body) && typeof body.command === 'string';
  const isInteractive = isRecord(body) && typeof body.type === 'string' && INTERACTIVE_TYPES.has(body.type);
  const kind = contentType ?? (isCommand || isInteractive ? 'form' : 'json');
  if (kind === 'json') return { raw: JSON.stringify(body), contentType: 'application/json' };
  const raw = isCommand
    ? stringify(body as Record<string, string>)
    : stringify({ payload: JSON.stringify(body) });
  // Exactly this value: Bolt compares the header to it without parameters.
  return { raw, contentType: 'application/x-www-form-urlencoded' };
}

/** POSTs a signed request to a Bolt HTTP receiver and returns its answer. */
export async function signedRequest(
  url: string,
  body: unknown,
  options: SignedRequestOptions,
): Promise<SignedResponse> {
  const { raw, contentType } = encodeSlackBody(body, options.contentType);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = options.badSignature === true ? `${options.signingSecret}-wrong` : options.signingSecret;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, raw),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: typeof raw === 'string' ? raw : new Uint8Array(raw),
    ...(options.timeoutMs !== undefined ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, json, headers: response.headers };
}
