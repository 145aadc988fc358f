import { ErrorCode } from '@slack/web-api';

/**
 * What a failed Web API call means for the text it carried. `refused`: Slack answered and did
 * nothing (an `ok: false` error, a 429, a 4xx), so sending the same text again cannot duplicate it.
 * `uncertain`: the request may have been applied (a 5xx, a timeout, a dropped connection after the
 * WebClient gave up retrying), so text it carried counts as delivered and is never sent again.
 */
export type FailureKind = 'refused' | 'uncertain';

/** Slack's answer when a stream has ended (it expires streams about five minutes after they start). */
export const NOT_STREAMING = 'message_not_in_streaming_state';

interface MaybeSlackError {
  code?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown };
}

export function failureKind(err: unknown): FailureKind {
  const e = (err ?? {}) as MaybeSlackError;
  switch (e.code) {
    case ErrorCode.PlatformError:
    case ErrorCode.RateLimitedError:
      return 'refused';
    case ErrorCode.HTTPError:
      return typeof e.statusCode === 'number' && e.statusCode < 500 ? 'refused' : 'uncertain';
    default:
      return 'uncertain';
  }
}

/** The `error` of an `ok: false` answer (`message_not_in_streaming_state`, `channel_not_found`…). */
export function platformError(err: unknown): string | undefined {
  const e = (err ?? {}) as MaybeSlackError;
  return e.code === ErrorCode.PlatformError && typeof e.data?.error === 'string' ? e.data.error : undefined;
}
