import webApi, {
  WebClient,
  WebClientEvent,
  type FilesUploadV2Arguments,
  type WebAPICallResult,
  type WebClientOptions,
} from '@slack/web-api';
import type { Metrics } from '../../src/core/metrics.js';
import { redactDeep } from '../../src/core/redact.js';
import { keepAliveFetch } from '../../src/http/keep-alive-fetch.js';

export interface RedactingWebClientOptions extends WebClientOptions {
  /** The process's redaction function, applied to every string argument of every call. */
  redact: (text: string) => string;
  metrics: Metrics;
}

const SERVICE = 'slack';
// A CommonJS re-export Node's ESM loader cannot see by name: read it from the module object.
const { retryPolicies } = webApi;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The token argument authenticates the call: it is not text for the channel, and is left alone. */
const UNREDACTED_KEYS = new Set(['token']);

/** Every string in `value`, however deep (objects, arrays, text buffers), redacted; `token` kept. */
export function redactArguments(value: unknown, redact: (text: string) => string): unknown {
  return redactDeep(redact, value, { keep: UNREDACTED_KEYS, other: (v) => redactTextBuffer(v, redact) });
}

/** A buffer holding UTF-8 text, redacted; binary data (and anything else) as it is. */
function redactTextBuffer(value: unknown, redact: (text: string) => string): unknown {
  if (!Buffer.isBuffer(value)) return value;
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return value; // binary: no text to redact
  }
  const clean = redact(text);
  return clean === text ? value : Buffer.from(clean);
}

/** The Web API method of a request URL (`…/api/chat.postMessage` → `chat.postMessage`). */
function methodOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1) || 'unknown';
}

/**
 * The one WebClient the Slack adapter sends with, so that no text reaches Slack unredacted and
 * every call is counted, whichever code makes it. Every method of the WebClient goes through
 * `apiCall` (the methods are bound to it at construction, hence a subclass rather than a patched
 * instance); `files.uploadV2` goes through `filesUploadV2`, whose file content is posted elsewhere.
 *
 * Sent with {@link keepAliveFetch} unless `options.fetch` says otherwise.
 *
 * Counted: each call once with its final outcome (`ok` / `error`, after the client's retries), each
 * answer 429 as `rate_limited`, and each retry (429, 5xx, dropped connection) with `apiRetry`.
 */
export class RedactingWebClient extends WebClient {
  private readonly redactText: (text: string) => string;
  private readonly metrics: Metrics;

  constructor(token: string, options: RedactingWebClientOptions) {
    const { redact, metrics, ...clientOptions } = options;
    const retryConfig = clientOptions.retryConfig ?? retryPolicies.tenRetriesInAboutThirtyMinutes;
    super(token, {
      ...clientOptions,
      // Node's fetch costs twice the client CPU per call (≈0.45 vs 0.21 ms a chat.postMessage, 200
      // at once against the fake Slack), and a burst of answers is thousands of calls.
      fetch: clientOptions.fetch ?? keepAliveFetch(),
      // p-retry's hook (the WebClient hands retryConfig to p-retry): called after each failed attempt.
      retryConfig: {
        ...retryConfig,
        onFailedAttempt: (error: { retriesLeft?: number }) => {
          if ((error.retriesLeft ?? 0) > 0) metrics.apiRetry(SERVICE);
        },
      } as typeof retryConfig,
    });
    this.redactText = redact;
    this.metrics = metrics;
    this.on(WebClientEvent.RATE_LIMITED, (_retrySec: number, request: { url: string }) =>
      metrics.apiCall(SERVICE, methodOf(request.url), 'rate_limited'),
    );
  }

  override async apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    // Routed to filesUploadV2 by the WebClient, which redacts and counts its own calls.
    if (method === 'files.uploadV2') return super.apiCall(method, options);
    const clean = redactArguments(options, this.redactText) as Record<string, unknown>;
    try {
      const result = await super.apiCall(method, clean);
      this.metrics.apiCall(SERVICE, method, 'ok');
      return result;
    } catch (err) {
      this.metrics.apiCall(SERVICE, method, 'error');
      throw err;
    }
  }

  override async filesUploadV2(options: FilesUploadV2Arguments) {
    return super.filesUploadV2(redactArguments(options, this.redactText) as FilesUploadV2Arguments);
  }
}
