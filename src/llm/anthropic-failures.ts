import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { ContextWindowExceededError, LlmError } from '../core/errors.js';
import { messageOf, StreamBrokenError, truncateDetail, type Failure } from './call-failure.js';
import { codeForStatus, isRetryableStatus, retryAfterMsOf } from './http-retry.js';

/**
 * What went wrong with one Anthropic call, as the provider's retry loop sees it: a typed error
 * (context window, auth, status, stream, connection) with secrets redacted, whether a retry may
 * help, and the wait the server asked for.
 */

/** The SDK's error as it is built: status and headers are absent for errors inside a stream. */
type SdkApiError = APIError<number | undefined, Headers | undefined>;

/** `instanceof APIError` alone narrows to `APIError<any, any, any>`. */
function isApiError(err: unknown): err is SdkApiError {
  return err instanceof APIError;
}

const RETRYABLE_STREAM_ERROR_TYPES = new Set([
  'overloaded_error',
  'api_error',
  'rate_limit_error',
  'timeout_error',
]);
const CONTEXT_OVERFLOW =
  /prompt is too long|context window|context length|maximum context|too many (input )?tokens/i;

export function classifyFailure(err: unknown, redact: (text: string) => string): Failure {
  if (err instanceof StreamBrokenError || err instanceof APIConnectionError) {
    const what =
      err instanceof StreamBrokenError ? err.message : `could not reach the Anthropic API (${err.message})`;
    return {
      retryable: true,
      error: new LlmError(redact(what), { cause: err, code: 'llm_connection' }),
    };
  }
  if (!isApiError(err)) {
    return { retryable: false, error: new LlmError(redact(messageOf(err)), { cause: err }) };
  }
  return classifyApiError(err, redact);
}

function classifyApiError(err: SdkApiError, redact: (text: string) => string): Failure {
  const detail = redact(truncateDetail(err.apiMessage ?? err.message));
  const status = err.status;
  if (status === undefined) {
    // An `error` event inside a 200 stream: no status, only the error type.
    const type = err.type ?? 'unknown_error';
    const code = type === 'overloaded_error' ? 'llm_overloaded' : 'llm_stream_error';
    return {
      retryable: RETRYABLE_STREAM_ERROR_TYPES.has(type),
      error: new LlmError(`Anthropic stream error ${type}: ${detail}`, { cause: err, code }),
    };
  }
  if (
    (status === 400 &&
      (err.type === null || err.type === 'invalid_request_error') &&
      CONTEXT_OVERFLOW.test(detail)) ||
    status === 413
  ) {
    // 413 is a request body over the size limit: like a long prompt, only compaction helps.
    return {
      retryable: false,
      error: new ContextWindowExceededError(`The prompt is too long for the model: ${detail}`, {
        cause: err,
      }),
    };
  }
  if (status === 401) {
    return {
      retryable: false,
      error: new LlmError('the Anthropic API rejected the API key (401); check ANTHROPIC_API_KEY', {
        cause: err,
        status,
        code: 'llm_auth',
      }),
    };
  }
  const retryable = isRetryableStatus(status, err.headers);
  const failure: Failure = {
    retryable,
    error: new LlmError(
      `Anthropic API error ${status}${err.type === null ? '' : ` ${err.type}`}: ${detail}`,
      {
        cause: err,
        status,
        code: codeForStatus(status),
      },
    ),
  };
  const retryAfterMs = retryAfterMsOf(err.headers);
  if (retryable && retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}
