import { bodyStream } from './body-stream.js';
import {
  KeepAliveTransport,
  REDIRECT_STATUSES,
  type Fetch,
  type KeepAliveFetchOptions,
} from './keep-alive-transport.js';
import { NULL_BODY_STATUSES } from './response-base.js';
import { ResponseHeaders } from './response-headers.js';
import { StreamedResponse } from './streamed-response.js';

/**
 * A `fetch` whose answer streams, for the LLM SDKs (`@anthropic-ai/sdk`, `openai`), over
 * {@link KeepAliveTransport}: node:http with a keep-alive agent per protocol. Node's own fetch
 * (undici over web streams) costs ~1.2 ms of client CPU for one streamed Messages call with a
 * ~40 KB request body (100 at once against the fake Anthropic API), this ~0.8 ms — CPU that, in a
 * burst of turns, delays the requests of the later ones.
 *
 * The promise resolves at the response headers with a {@link StreamedResponse}, whose `body`
 * streams the answer as it arrives (see {@link bodyStream}): an abort of `init.signal` from then on
 * errors the body with the signal's reason (the SDK's timeout and the provider's interrupts abort
 * mid-stream), a connection that breaks mid-body errors it with `TypeError('terminated')`, as
 * fetch's. Before the headers an abort rejects the call with the reason, a network error with
 * `TypeError('fetch failed', { cause })`, as fetch.
 *
 * It takes the calls the SDKs make (POST with a string body and a Headers, a signal, `redirect`
 * left to fetch's default 'follow') and sends them itself; see the transport for the rest, which
 * goes to the fallback (`globalThis.fetch`).
 *
 * Each call of this function makes its own agents; their idle sockets do not keep the process alive.
 */
export function keepAliveStreamingFetch(options: KeepAliveFetchOptions = {}): Fetch {
  const transport = new KeepAliveTransport(options);
  return transport.fetch(true, (answer, request, settle, call) => {
    const status = answer.statusCode ?? 0;
    const redirect = call.init.redirect ?? 'follow';
    if (redirect === 'follow' && REDIRECT_STATUSES.has(status) && answer.headers.location !== undefined) {
      // A redirect to follow goes to the fallback, which sends the call again and follows it as
      // fetch does: following one right (303 and a POST's 301/302 turned to GET without the body,
      // Authorization dropped across origins, the 20-hop limit, `redirected` and `url` of the
      // answer) is fetch's rules, not worth copying for what the LLM APIs never do. The call can
      // be replayed: the bodies sent here are strings, bytes or URLSearchParams, never a stream.
      answer.resume(); // this answer's body, drained, frees its socket for the pool
      settle.resolve(transport.fallback(call.input, call.init));
      return;
    }
    const headers = new ResponseHeaders(answer.rawHeaders);
    const hasBody = call.method !== 'HEAD' && !NULL_BODY_STATUSES.has(status);
    const head = { status, statusText: answer.statusMessage ?? '', headers, url: call.url.href };
    let response: StreamedResponse;
    try {
      const signal = call.init.signal ?? undefined;
      const encoding = headers.get('content-encoding');
      response = new StreamedResponse(hasBody ? bodyStream(answer, request, signal, encoding) : null, head);
    } catch (err) {
      answer.destroy(); // a status outside 200–599, which fetch refuses too
      settle.fail(err);
      return;
    }
    if (hasBody) return settle.resolve(response);
    // Nothing to read: settled at its end, once its socket is back in the pool for the next call.
    answer.once('end', () => settle.resolve(response));
    answer.once('error', settle.fail);
    answer.resume();
  });
}
