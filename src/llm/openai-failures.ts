import { APIConnectionError, APIError } from 'openai';
import { ContextWindowExceededError, LlmError } from '../core/errors.js';
import { messageOf, StreamBrokenError, truncateDetail, type Failure } from './call-failure.js';
import { codeForStatus, isRetryableStatus, retryAfterMsOf } from './http-retry.js';

/**
 * What went wrong with one Chat Completions call, for the retry loop and then for the user. The
 * servers behind this API (OpenAI, the HF router and its providers, vLLM, Ollama, llama.cpp, TGI)
 * word their errors differently, so the classes below match on status first and then on the
 * words each one is known to use.
 */

/** Who answered, for messages: "the HF router", "the OpenAI-compatible server at http://…". */
export interface ServerContext {
  label: string;
  /** The variable that holds the credential, named in a 401 message. */
  keyVariable: string;
  /** The request's model, named in a not-found or no-tools message. */
  model: string;
}

type SdkApiError = APIError<number | undefined, Headers | undefined>;

const CONTEXT_OVERFLOW =
  /context length|context window|maximum context|context_length_exceeded|prompt is too long|too many (input )?tokens|reduce the length|input is too long/i;
/** Ollama "does not support tools"; vLLM "auto" tool choice requires --enable-auto-tool-choice; others. */
const TOOLS_UNSUPPORTED =
  /does not support (tools|tool calling|tool use|function calling)|tool choice requires|tools? (are|is) not supported|(tool|function) call(ing|s)? (is )?not supported|unsupported parameter.*tools|parameters are not supported for this model:.*\btools\b/i;
const MODEL_UNKNOWN =
  /model.*(not found|does not exist|not supported|unknown|is not available)|no (such )?model|unknown model|not a valid model|model_not_found|not supported by any provider/i;

export function classifyOpenAiFailure(
  err: unknown,
  server: ServerContext,
  redact: (text: string) => string,
): Failure {
  if (err instanceof StreamBrokenError) {
    return {
      retryable: true,
      error: new LlmError(redact(err.message), { cause: err, code: 'llm_connection' }),
    };
  }
  if (err instanceof APIConnectionError) {
    const reason = causeOf(err);
    return {
      retryable: true,
      error: new LlmError(redact(`could not reach ${server.label} (${reason})`), {
        cause: err,
        code: 'llm_connection',
      }),
    };
  }
  if (!(err instanceof APIError)) {
    return { retryable: false, error: new LlmError(redact(messageOf(err)), { cause: err }) };
  }
  return classifyApiError(err as SdkApiError, server, redact);
}

function classifyApiError(
  err: SdkApiError,
  server: ServerContext,
  redact: (text: string) => string,
): Failure {
  const detail = redact(truncateDetail(detailOf(err)));
  const status = err.status;
  const code = typeof err.code === 'string' ? err.code : '';
  if (status === undefined) {
    // An `error` object inside a 200 stream: the server failed mid-answer.
    return {
      retryable: true,
      error: new LlmError(`${server.label} reported an error in the stream: ${detail}`, {
        cause: err,
        code: 'llm_stream_error',
      }),
    };
  }
  const fail = (code: string, message: string): Failure => ({
    retryable: false,
    error: new LlmError(message, { cause: err, status, code }),
  });
  if (
    status === 413 ||
    ((status === 400 || status === 422) &&
      (CONTEXT_OVERFLOW.test(detail) || code === 'context_length_exceeded'))
  ) {
    return {
      retryable: false,
      error: new ContextWindowExceededError(`The prompt is too long for the model: ${detail}`, {
        cause: err,
      }),
    };
  }
  if (
    (status === 400 || status === 422 || status === 404 || status === 501) &&
    TOOLS_UNSUPPORTED.test(detail)
  ) {
    return fail(
      'llm_tools_unsupported',
      `the model "${server.model}" at ${server.label} does not support tool calls, which the intern needs (${detail}); choose a model that does with "model <name>"`,
    );
  }
  if (status === 401) {
    return fail('llm_auth', `${server.label} rejected the credentials (401); check ${server.keyVariable}`);
  }
  if (status === 402) {
    return fail(
      'llm_payment_required',
      `${server.label} refused the call for billing reasons (402): ${detail}`,
    );
  }
  if (status === 403) {
    return fail(
      'llm_permission',
      `${server.label} refused the call (403): ${detail}; check the permissions of ${server.keyVariable}`,
    );
  }
  if (
    status === 404 ||
    (status === 400 &&
      (MODEL_UNKNOWN.test(detail) || code === 'model_not_found' || code === 'model_not_supported'))
  ) {
    return fail(
      'llm_model_not_found',
      `${server.label} does not serve the model "${server.model}": ${detail}`,
    );
  }
  const retryable = isRetryableStatus(status, err.headers);
  const failure: Failure = {
    retryable,
    error: new LlmError(`${server.label} answered ${status}: ${detail}`, {
      cause: err,
      status,
      code: codeForStatus(status),
    }),
  };
  const retryAfterMs = retryAfterMsOf(err.headers);
  if (retryable && retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}

/**
 * The server's own words. The SDK keeps the body's `error` field: an object with a `message`
 * (OpenAI, vLLM, the router) or a bare string (Ollama, TGI); without a body, its own message.
 */
function detailOf(err: SdkApiError): string {
  const body: unknown = err.error;
  if (typeof body === 'string' && body.length > 0) return body;
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
    return body.message;
  }
  return err.message.replace(/^\d{3}\s+/, '');
}

/** "Connection error." says little; the socket's own reason (ECONNREFUSED, …) says what to fix. */
function causeOf(err: APIConnectionError): string {
  let cause: unknown = err.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return `${code}: ${cause.message}`;
    cause = cause.cause;
  }
  return err.message;
}
