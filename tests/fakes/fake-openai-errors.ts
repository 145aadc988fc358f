/**
 * The error bodies the servers behind an OpenAI-compatible base URL really send, copied from their
 * source or from captured responses (see the notes on each), so tests classify real shapes.
 *
 * Two body shapes exist and the `openai` SDK treats them differently: `{error: {message, ...}}`
 * gives `err.message === "<status> <message>"`, while the Hugging Face router's `{error: "<text>"}`
 * gives `err.error === "<text>"` and `err.message === '<status> "<text>"'` (JSON-quoted).
 */

export type Flavor = 'openai' | 'router' | 'vllm' | 'ollama';

/** The OpenAI envelope; `param` and `code` are `null` when the server has none. */
export function openAiError(
  message: string,
  type: string,
  code: string | number | null = null,
  param: string | null = null,
): { error: { message: string; type: string; param: string | null; code: string | number | null } } {
  return { error: { message, type, param, code } };
}

/** api.openai.com (bodies as OpenAI returns them, seen in many client bug reports). */
export const OPENAI_ERRORS = {
  missingKey: () =>
    openAiError(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
    ),
  /** The key is echoed masked: first 8 and last 4 characters. */
  invalidApiKey: (key: string) =>
    openAiError(
      `Incorrect API key provided: ${key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      'invalid_request_error',
      'invalid_api_key',
    ),
  modelNotFound: (model: string) =>
    openAiError(
      `The model \`${model}\` does not exist or you do not have access to it.`,
      'invalid_request_error',
      'model_not_found',
    ),
  contextLengthExceeded: (max: number, got: number) =>
    openAiError(
      `This model's maximum context length is ${max} tokens. However, your messages resulted in ${got} tokens. Please reduce the length of the messages.`,
      'invalid_request_error',
      'context_length_exceeded',
      'messages',
    ),
  rateLimited: () =>
    openAiError(
      'Rate limit reached for requests. Please try again in 7s.',
      'requests',
      'rate_limit_exceeded',
    ),
  invalidUrl: (method: string, path: string) =>
    openAiError(`Invalid URL (${method} ${path})`, 'invalid_request_error'),
  invalidJson: () =>
    openAiError('We could not parse the JSON body of your request.', 'invalid_request_error'),
  serverError: () =>
    openAiError('The server had an error while processing your request. Sorry about that!', 'server_error'),
};

/**
 * router.huggingface.co. Its own errors are `{error: "<text>"}`; the unknown-model error and errors
 * relayed from a provider are OpenAI-shaped. There is no 404 for an unknown model: it is a 400.
 */
export const ROUTER_ERRORS = {
  /** 401, wrong token (huggingface_hub #3368, router logs 2025). */
  invalidCredentials: () => ({ error: 'Invalid credentials in Authorization header' }),
  /** 401, also observed on /v1/chat/completions (discuss.huggingface.co thread 174329, 2026). */
  invalidUsernameOrPassword: () => ({ error: 'Invalid username or password.' }),
  /** 402, monthly credits spent. */
  creditsDepleted: () => ({
    error:
      'You have depleted your monthly included credits. Purchase pre-paid credits to continue using Inference Providers. Alternatively, subscribe to PRO to get 20x more included usage.',
  }),
  /** 403, a fine-grained token without "Make calls to Inference Providers". */
  insufficientPermissions: (user: string) => ({
    error: `This authentication method does not have sufficient permissions to call Inference Providers on behalf of user ${user}`,
  }),
  /** 400, unknown model or no enabled provider serves it (captured raw body). */
  modelNotSupported: (model: string) =>
    openAiError(
      `The requested model '${model}' is not supported by any provider you have enabled.`,
      'invalid_request_error',
      'model_not_supported',
      'model',
    ),
  /** 400, a provider without tool support, relayed (smolagents #1808: nscale); note `code` is "422". */
  toolsNotSupported: (params: string[]) => ({
    error: {
      code: '422',
      error_type: 'UNSUPPORTED_OPENAI_PARAMS',
      message: `The following parameters are not supported for this model: ${params.join(', ')}`,
      param: params.join(', '),
    },
  }),
};

/** vLLM's ErrorResponse (`vllm/entrypoints/openai/engine/protocol.py`): `code` is the HTTP status, a number. */
export const VLLM_ERRORS = {
  /** 400 when `tools` come with `tool_choice` "auto" (the default) on a server started without the flags. */
  autoToolChoice: () =>
    openAiError(
      '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
      'BadRequestError',
      400,
    ),
  /** 400, the wording of current vLLM (the older one said "you requested N tokens (X in the messages, ..."). */
  contextLength: (max: number, input: number, output: number) =>
    openAiError(
      `This model's maximum context length is ${max} tokens. However, you requested ${output} output tokens and your prompt contains at least ${input} input tokens, for a total of at least ${input + output} tokens. Please reduce the length of the input prompt or the number of requested output tokens. (parameter=input_tokens, value=${input})`,
      'BadRequestError',
      400,
      'input_tokens',
    ),
  modelNotFound: (model: string) =>
    openAiError(`The model \`${model}\` does not exist.`, 'NotFoundError', 404, 'model'),
  /** 401 from `--api-key`: a bare string, not the envelope. */
  unauthorized: () => ({ error: 'Unauthorized' }),
};

/** Ollama's /v1 layer (`openai/openai.go` NewError): type from the status, `param` and `code` always null. */
export const OLLAMA_ERRORS = {
  /** Ollama's fully qualified name: `llama3` → `registry.ollama.ai/library/llama3:latest`. */
  qualifiedName: (model: string) => {
    const named = model.includes('/') ? model : `library/${model}`;
    return `registry.ollama.ai/${named}${named.includes(':') ? '' : ':latest'}`;
  },
  /** 400 when `tools` go to a model whose template has none. */
  toolsNotSupported: (model: string) =>
    openAiError(`${OLLAMA_ERRORS.qualifiedName(model)} does not support tools`, 'invalid_request_error'),
  /** 404 for a model that was never pulled. */
  modelNotFound: (model: string) =>
    openAiError(`model "${model}" not found, try pulling it first`, 'not_found_error'),
};

/** The 401 body of each flavor; `sent` is the key the client sent, if any. */
export function unauthorizedBody(flavor: Flavor, sent: string | undefined): unknown {
  switch (flavor) {
    case 'router':
      return sent === undefined
        ? ROUTER_ERRORS.invalidUsernameOrPassword()
        : ROUTER_ERRORS.invalidCredentials();
    case 'vllm':
      return VLLM_ERRORS.unauthorized();
    default:
      return sent === undefined ? OPENAI_ERRORS.missingKey() : OPENAI_ERRORS.invalidApiKey(sent);
  }
}

/** The status and body each flavor answers for a model it does not serve. */
export function unknownModel(flavor: Flavor, model: string): { status: number; body: unknown } {
  switch (flavor) {
    case 'router':
      return { status: 400, body: ROUTER_ERRORS.modelNotSupported(model) };
    case 'vllm':
      return { status: 404, body: VLLM_ERRORS.modelNotFound(model) };
    case 'ollama':
      return { status: 404, body: OLLAMA_ERRORS.modelNotFound(model) };
    default:
      return { status: 404, body: OPENAI_ERRORS.modelNotFound(model) };
  }
}

/** The error `toolsUnsupported` answers with, or undefined when that server would accept the request. */
export function toolsRejection(
  server: 'ollama' | 'vllm' | 'router',
  body: { model?: unknown; tool_choice?: unknown },
): unknown {
  if (server === 'ollama') return OLLAMA_ERRORS.toolsNotSupported(String(body.model));
  if (server === 'router')
    return ROUTER_ERRORS.toolsNotSupported(
      body.tool_choice === undefined ? ['tools'] : ['tools', 'tool_choice'],
    );
  // vLLM defaults tool_choice to "auto" when tools are given; "none", "required" and a named
  // function work without the flags.
  return body.tool_choice === undefined || body.tool_choice === 'auto'
    ? VLLM_ERRORS.autoToolChoice()
    : undefined;
}

const DEFAULT_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'requests',
  500: 'server_error',
  503: 'server_error',
};

/** The default OpenAI-shaped body of a scripted error status. */
export function scriptedError(status: number, message?: string, code?: string): unknown {
  if (status === 429 && message === undefined && code === undefined) return OPENAI_ERRORS.rateLimited();
  return openAiError(
    message ?? `fake error ${status}`,
    DEFAULT_TYPES[status] ?? 'server_error',
    code ?? (status === 429 ? 'rate_limit_exceeded' : null),
  );
}
